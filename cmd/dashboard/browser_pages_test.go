package main

// Browser tests of the pages around the boards: the board list, the manager board's
// header and drill-down at phone width, tile embeds that fit a small cross-site
// iframe, the admin pages (local times, copy button, confirmed revoke) and axe-core
// on every page a person signs in to or manages from.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// noHScrollJS lists why the page scrolls sideways: the document wider than the
// viewport, or the layout viewport widened past the device width (a phone browser
// zooms out to fit content that is too wide, which hides the overflow from scrollWidth).
func noHScrollJS(width int) string {
	return `(() => { const d = document.documentElement, bad = [];
		if (d.scrollWidth > d.clientWidth) bad.push('scrollWidth ' + d.scrollWidth + ' > clientWidth ' + d.clientWidth);
		if (innerWidth > ` + strconv.Itoa(width) + `) bad.push('layout viewport ' + innerWidth + ' px wide');
		for (const e of document.querySelectorAll('body *')) {
			const r = e.getBoundingClientRect();
			if (r.width > 0 && r.right > d.clientWidth + 1 && getComputedStyle(e).position !== 'fixed') { bad.push('<' + e.tagName.toLowerCase() + ' class="' + e.className + '"> ends at ' + Math.round(r.right)); if (bad.length > 5) break; }
		}
		return bad; })()`
}

// figuresVisibleJS lists every figure part of the page's main area (label, value,
// level word, window note; a skill tile's agent counts) that a person could not read
// in the viewport: hidden, clipped by the frame or an ancestor, cut by an ellipsis, or
// below 10 px. An empty list means every figure is shown whole.
const figuresVisibleJS = `(() => {
	const W = innerWidth, H = innerHeight, bad = [];
	const parts = document.querySelectorAll('main .fig .fl, main .fig .fv, main .fig .fw, main .fig .fn, main .ag > span');
	if (parts.length === 0) return ['no figures on the page'];
	for (const p of parts) {
		const fig = p.closest('[id]');
		const name = (fig ? fig.id : '?') + ' .' + p.className + ' "' + p.textContent.trim() + '"';
		const cs = getComputedStyle(p);
		const r = p.getBoundingClientRect();
		if (cs.display === 'none' || cs.visibility !== 'visible' || r.width < 1 || r.height < 1) { bad.push(name + ' hidden'); continue; }
		if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5) { bad.push(name + ' outside the ' + W + 'x' + H + ' frame'); continue; }
		for (let a = p.parentElement; a && a !== document.documentElement; a = a.parentElement) {
			const s = getComputedStyle(a);
			if (Number(s.opacity) === 0) { bad.push(name + ' transparent'); break; }
			if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
			const ar = a.getBoundingClientRect();
			if (r.left < ar.left - 0.5 || r.top < ar.top - 0.5 || r.right > ar.right + 0.5 || r.bottom > ar.bottom + 0.5) { bad.push(name + ' clipped by .' + a.className); break; }
		}
		if (p.scrollWidth > p.clientWidth + 1) bad.push(name + ' cut short');
		if (parseFloat(cs.fontSize) < 10) bad.push(name + ' at ' + cs.fontSize);
	}
	return bad;
})()`

// skillTilesFitJS lists every skill tile figure (label, value, level word) that runs
// out of its tile or into the tile's agent counts, wherever the tile is on the page.
const skillTilesFitJS = `(() => {
	const bad = [];
	for (const tile of document.querySelectorAll('main .t-skill')) {
		const tr = tile.getBoundingClientRect(), foot = tile.querySelector('.ag');
		const fr = foot ? foot.getBoundingClientRect() : null;
		for (const p of tile.querySelectorAll('.fig .fl, .fig .fv, .fig .fw')) {
			const r = p.getBoundingClientRect();
			if (r.width < 1 || getComputedStyle(p).display === 'none') continue;
			const name = tile.id + ' .' + p.className + ' "' + p.textContent.trim() + '"';
			if (r.bottom > tr.bottom + 0.5 || r.right > tr.right + 0.5) bad.push(name + ' runs out of its tile');
			else if (fr && r.bottom > fr.top + 0.5) bad.push(name + ' runs into the agent counts');
			if (bad.length > 8) return bad;
		}
	}
	return bad;
})()`

// axeJS runs axe-core on the page and returns its serious and critical violations.
const axeJS = `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
	r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))`

// checkAxe injects the pinned axe-core (node_modules, from package-lock.json) into
// the tab's page and fails on every serious or critical violation.
func checkAxe(t *testing.T, tb *tab, page string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (run `npm ci`): %v", err)
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	// Runtime.evaluate is not subject to the page's CSP, which allows no inline script.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("%s: load axe-core: %v", page, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", page, err)
	}
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%s: axe result %q: %v", page, out, err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe %s violation %s (%s):\n  %s", page, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// shoot saves a screenshot of the tab's viewport as artifact name (and docs/ copy).
func shoot(t *testing.T, tb *tab, name string, w, h int) {
	t.Helper()
	var shot []byte
	tb.do(t, 20*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		var err error
		shot, err = chromedp.CaptureScreenshot()(ctx, tt)
		return err
	}))
	checkPNG(t, name, shot, w, h)
	saveArtifact(t, name+".png", shot)
}

// noProblems fails with the list a JS check returned.
func noProblems(t *testing.T, tb *tab, what, js string) {
	t.Helper()
	if bad := evalJS[[]string](t, tb, js); len(bad) > 0 {
		t.Errorf("%s:\n  %s", what, strings.Join(bad, "\n  "))
	}
}

func TestBrowserPages(t *testing.T) {
	browser := newBrowser(t)

	t.Run("board list, header, drill-down and admin pages at phone width", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 21, floor: "large"})
		anon := newTab(t, browser, chromedp.WithNewBrowserContext())
		anon.do(t, 10*time.Second, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		anon.open(t, app.Base+"/login")
		noProblems(t, anon, "sign-in page scrolls sideways at 390 px", noHScrollJS(390))

		tb := newTab(t, browser, chromedp.WithNewBrowserContext())
		tb.login(t, app)
		tb.open(t, app.Base+"/")
		links := evalJS[[]string](t, tb, `Array.from(document.querySelectorAll('[data-testid="board"] .views a')).map(a => a.getAttribute('href'))`)
		if want := []string{"/boards/demo", "/wall/demo", "/embed/demo"}; strings.Join(links, " ") != strings.Join(want, " ") {
			t.Errorf("board list links = %v, want %v", links, want)
		}
		tb.do(t, 10*time.Second, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		tb.open(t, app.Base+"/boards/demo")
		tb.waitJS(t, 45*time.Second, "the manager board with both sources healthy",
			hasFiguresJS+` && `+sourceHealthyJS("comm100")+` && `+sourceHealthyJS("liveperson"))
		header := evalJS[string](t, tb, `Array.from(document.querySelectorAll('header.mh a')).map(a => a.textContent.trim() + '=' + a.getAttribute('href')).join(' ')`)
		for _, want := range []string{"Boards=/", "Devices=/admin/devices", "Sign out=/logout"} {
			if !strings.Contains(header, want) {
				t.Errorf("manager header links %q lack %q", header, want)
			}
		}
		// Comm100 gives no state-since time: ccdash times it, "≥" until it saw a change.
		tb.waitJS(t, 10*time.Second, "a Comm100 agent's time in state shown as a lower bound",
			`Array.from(document.querySelectorAll('#tile-agents .tis[data-atleast]')).some(e => /^≥ \d+:\d\d/.test(e.textContent))`)
		noProblems(t, tb, "manager board scrolls sideways at 390 px", noHScrollJS(390))
		noProblems(t, tb, "manager board skill tiles at 390 px", skillTilesFitJS)
		shoot(t, tb, "phone", 390, 844)

		skill := evalJS[string](t, tb, `document.querySelector('.t-skill h3 a').getAttribute('href')`)
		name := evalJS[string](t, tb, `document.querySelector('.t-skill h3 a').textContent.trim()`)
		tb.open(t, app.Base+"/boards/demo"+skill)
		tb.waitJS(t, 30*time.Second, "the drill-down with its figures", hasFiguresJS)
		if n := evalJS[int](t, tb, `document.body.innerText.split(`+strconv.Quote(name)+`).length - 1`); n != 1 {
			t.Errorf("drill-down shows the skill name %q %d times, want once", name, n)
		}
		src := strings.SplitN(mustUnescape(t, strings.TrimPrefix(skill, "?skill=")), ":", 2)[0]
		if got := evalJS[[]string](t, tb, `Array.from(document.querySelectorAll('#tile-today [data-testid="today-day"]')).map(e => e.id)`); len(got) != 1 || !strings.Contains(got[0], src) {
			t.Errorf("drill-down Today groups = %v, want only %s's", got, src)
		}
		noProblems(t, tb, "drill-down scrolls sideways at 390 px", noHScrollJS(390))

		for _, p := range []string{"/", "/admin/devices", "/admin/embeds"} {
			tb.open(t, app.Base+p)
			noProblems(t, tb, p+" scrolls sideways at 390 px", noHScrollJS(390))
		}
	})

	t.Run("tile embeds fit a 400x300 cross-site iframe", func(t *testing.T) {
		t.Parallel()
		crm := startFramerSized(t, 400, 300)
		dir := t.TempDir()
		cfgPath := filepath.Join(dir, "ccdash.yaml")
		if err := os.WriteFile(cfgPath, []byte("embed_origins:\n  - "+crm.origin("localhost")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := appConfig{addr: "127.0.0.1:0", seed: 22, dataDir: filepath.Join(dir, "data"), config: cfgPath, floor: "large"}
		app := startDemoApp(t, cfg)

		// A skill tile id as an admin finds it: on the embeds page. A skill serving two
		// channels has the most figures; take one when the floor has it.
		admin := newTab(t, browser, chromedp.WithNewBrowserContext())
		admin.login(t, app)
		admin.open(t, app.Base+"/boards/demo")
		admin.waitJS(t, 45*time.Second, "skill tiles on the manager board", `document.querySelectorAll('.t-skill').length > 0`)
		skillTile := evalJS[string](t, admin, `(document.querySelector('.t-skill .chs.multi') || document.querySelector('.t-skill')).closest('.t-skill').id`)
		admin.open(t, app.Base+"/admin/embeds")
		if n := evalJS[int](t, admin, `document.querySelectorAll('[data-board="demo"] [data-tile=`+strconv.Quote(skillTile)+`] button[data-copy]').length`); n != 2 {
			t.Errorf("/admin/embeds: %d copy buttons for tile %s, want 2 (its id and its embed-url command)", n, skillTile)
		}

		for _, tc := range []struct{ tile, theme, bg string }{
			{"queue", "dark", "dark"},
			{skillTile, "light", "light"},
		} {
			crm.src.Store(embedTileURL(t, app, cfg, tc.tile) + "&theme=" + tc.theme)
			tb := newTab(t, browser)
			tb.do(t, 30*time.Second, chromedp.EmulateViewport(460, 400), chromedp.Navigate(crm.url("localhost")), chromedp.WaitReady(chromedp.CSS("#f")))
			frame := tb.frameTab(t, app.Base+"/embed/demo/tiles/"+tc.tile, 30*time.Second)
			frame.waitJS(t, 45*time.Second, tc.tile+" tile with figures in the iframe", hasFiguresJS+` && document.querySelectorAll('main .fv').length === Array.from(document.querySelectorAll('main .fv')).filter(e => e.textContent.trim() !== '').length`)
			if size := evalJS[string](t, frame, `innerWidth + 'x' + innerHeight`); size != "400x300" {
				t.Errorf("iframe viewport = %s, want 400x300", size)
			}
			noProblems(t, frame, tc.tile+" embed in 400x300 hides figures", figuresVisibleJS)
			lum := evalJS[float64](t, frame, `(() => { const m = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g).map(Number); return (m[0] + m[1] + m[2]) / 765 })()`)
			if dark := lum < 0.5; dark != (tc.bg == "dark") {
				t.Errorf("theme=%s: page background lightness %.2f", tc.theme, lum)
			}
			if tc.tile == "queue" {
				shoot(t, tb, "embed", 460, 400)
			}
		}
	})

	t.Run("admin pages: local times, copy link, confirmed revoke", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 23})
		tb := newTab(t, browser, chromedp.WithNewBrowserContext())
		grantClipboard(t, tb, app.Base)
		tb.login(t, app)
		tb.open(t, app.Base+"/admin/devices")
		tb.waitJS(t, 10*time.Second, "device times shown locally with their age",
			`Array.from(document.querySelectorAll('tr[data-testid="device"] time[data-ago]')).some(e => /^\d\d:\d\d · (just now|\d+ min ago)$/.test(e.textContent))`)

		name := chromedp.CSS(`form.add-device input[name="name"]`)
		tb.do(t, 20*time.Second, chromedp.SendKeys(name, "Lobby TV"), chromedp.Click(chromedp.CSS(`form.add-device button[type="submit"]`)))
		tb.waitJS(t, 15*time.Second, "the new device link", `!!document.querySelector('[data-testid="new-device-url"]')`)
		link := evalJS[string](t, tb, `document.querySelector('[data-testid="new-device-url"]').textContent.trim()`)
		checkAxe(t, tb, "/admin/devices with a new link")
		tb.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="copy-device-url"]`)))
		tb.waitJS(t, 10*time.Second, "the copy button to confirm", `document.querySelector('[data-testid="copy-device-url"]').textContent === 'Copied'`)
		clip, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		if err != nil || clip != link {
			t.Errorf("clipboard after Copy = %q (%v), want the device link %q", clip, err, link)
		}

		lobby := `Array.from(document.querySelectorAll('tr[data-testid="device"]')).find(r => r.children[1].textContent === 'Lobby TV')`
		tb.open(t, app.Base+"/admin/devices")
		tb.do(t, 10*time.Second, chromedp.Click(chromedp.JSPath(`(`+lobby+`).querySelector('summary')`)))
		tb.waitJS(t, 5*time.Second, "the revoke confirmation", `(() => { const b = (`+lobby+`).querySelector('form button'); return !!b && b.getBoundingClientRect().height > 0 && /Lobby TV/.test(b.closest('form').textContent) })()`)
		checkAxe(t, tb, "/admin/devices with a revoke confirmation open")
		if !evalJS[bool](t, tb, `/active/.test((`+lobby+`).children[5].textContent)`) {
			t.Fatal("opening the revoke confirmation revoked the device already")
		}
		tb.do(t, 10*time.Second, chromedp.Click(chromedp.JSPath(`(`+lobby+`).querySelector('form button')`)))
		tb.waitJS(t, 15*time.Second, "Lobby TV listed as revoked", `!!(`+lobby+`) && /revoked/.test((`+lobby+`).children[5].textContent)`)
	})

	t.Run("axe-core: no serious or critical violation", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 24})
		anon := newTab(t, browser, chromedp.WithNewBrowserContext())
		for _, p := range []string{"/", "/login"} {
			anon.open(t, app.Base+p)
			checkAxe(t, anon, p+" (anonymous)")
		}
		tb := newTab(t, browser, chromedp.WithNewBrowserContext())
		tb.login(t, app)
		tb.open(t, app.Base+"/boards/demo")
		tb.waitJS(t, 45*time.Second, "the manager board with figures", hasFiguresJS)
		checkAxe(t, tb, "/boards/demo")
		for _, p := range []string{"/", "/admin/devices", "/admin/embeds", "/logout"} {
			tb.open(t, app.Base+p)
			checkAxe(t, tb, p)
		}
	})
}

// grantClipboard lets the tab's pages on origin read the clipboard, so a test can
// check what a copy button put there, and keeps the tab focused (the clipboard API
// refuses unfocused pages; parallel tabs would otherwise take the focus away).
func grantClipboard(t *testing.T, tb *tab, origin string) {
	t.Helper()
	c := chromedp.FromContext(tb.ctx)
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := cdp.Call(ctx, c.Browser, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted,
			Origin: origin, BrowserContextID: c.BrowserContextID,
		})
		if err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	tb.do(t, 10*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
}

// embedTileURL is a signed embed link for one tile of the demo board, made with
// `dashboard embed-url --tile`, pointed at the test server.
func embedTileURL(t *testing.T, app *demoApp, cfg appConfig, tile string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	args := []string{"--config", cfg.config, "--data-dir", cfg.dataDir, "--board", "demo", "--tile", tile}
	if err := runEmbedURL(args, cfg.getenv, time.Now(), &out, &errOut); err != nil {
		t.Fatalf("embed-url %v: %v\n%s", args, err, errOut.String())
	}
	u, err := url.Parse(strings.TrimSpace(out.String()))
	if err != nil || u.Path != "/embed/demo/tiles/"+tile {
		t.Fatalf("embed-url printed %q, want an /embed/demo/tiles/%s link", out.String(), tile)
	}
	return app.Base + u.RequestURI()
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.QueryUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
