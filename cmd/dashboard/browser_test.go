package main

// Browser tests: the real app (demo on the built-in simulator, real connectors) in a
// real headless Chromium. They prove what unit tests cannot: the page's script, htmx
// and the WebSocket together keep a wall board live, reconnect it by themselves and
// show stale data as stale. Each scenario runs its own app, in its own tab of one
// shared browser, in parallel; the slowest one waits on the 10 s Comm100 poll
// interval a few times.

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// figuresJS reads every server-rendered number on a board (figure values, agent
// counts). It leaves out what app.js ticks locally (clock, time in state, "updated N
// s ago"), so a change in it is a change pushed by the server.
const figuresJS = `Array.from(document.querySelectorAll('main .fv, main .counts b, main .ag b')).map(e => e.textContent.trim()).join('|')`

// hasFiguresJS is true once the board shows data rather than "waiting for data".
const hasFiguresJS = `document.querySelectorAll('main .fv').length > 0`

// bannerShownJS is true while the "Reconnecting…" banner is visible.
const bannerShownJS = `(() => { const b = document.getElementById('conn'); return !!b && !b.hidden && /reconnecting/i.test(b.textContent) })()`

// sourceJS returns the freshness entry of one source ([data-source]).
func sourceJS(id string) string {
	return `document.querySelector('#tile-freshness [data-source=` + strconv.Quote(id) + `]')`
}

// sourceUpdatedJS is source id's last success (Unix ms) as its page shows it,
// on the entry's dot; 0 when there is none.
func sourceUpdatedJS(id string) string {
	return `Number((document.querySelector('#tile-freshness [data-source=` + strconv.Quote(id) + `] [data-updated]') || {getAttribute: () => 0}).getAttribute('data-updated'))`
}

// sourceHealthyJS is true when source id has delivered data and its last poll worked.
func sourceHealthyJS(id string) string {
	return `(() => { const s = ` + sourceJS(id) + `; return !!s && ` + sourceUpdatedJS(id) + ` > 0 && !s.classList.contains('failing') && !s.classList.contains('stale-age') })()`
}

// staleTileJS is true when some tile fed by source id is marked stale with its STALE
// badge actually displayed (CSS shows it only on stale tiles).
func staleTileJS(id string) string {
	return `(() => { const b = document.querySelector('.tile.stale[data-sources~=` + strconv.Quote(id) + `] .sb'); return !!b && getComputedStyle(b).display !== 'none' })()`
}

func TestBrowser(t *testing.T) {
	browser := newBrowser(t)

	t.Run("wall tile changes live without reload", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 11})
		tb := newTab(t, browser)
		marker := tb.open(t, app.WallURL)
		tb.waitJS(t, 45*time.Second, "figures on the wall board", hasFiguresJS)
		before := evalJS[string](t, tb, figuresJS)
		tb.waitJS(t, 45*time.Second, "a figure to change from "+before, figuresJS+` !== `+strconv.Quote(before))
		if !evalJS[bool](t, tb, markerJS(marker)) {
			t.Fatal("the page was reloaded (marker gone); want the change pushed into the same document")
		}
	})

	t.Run("server restart: banner, then reconnect by itself", func(t *testing.T) {
		t.Parallel()
		cfg := appConfig{addr: "127.0.0.1:0", seed: 12, dataDir: t.TempDir()}
		first := startDemoApp(t, cfg)
		tb := newTab(t, browser)
		marker := tb.open(t, first.WallURL)
		tb.waitJS(t, 45*time.Second, "figures on the wall board", hasFiguresJS)
		tb.waitJS(t, 10*time.Second, "the connection banner hidden while connected", `document.getElementById('conn').hidden`)

		first.stop(t)
		tb.waitJS(t, 15*time.Second, "the Reconnecting… banner while the server is down", bannerShownJS)

		restarted := time.Now()
		cfg.addr = first.Addr // the page only knows this address
		second := startDemoApp(t, cfg)
		if second.WallURL != first.WallURL {
			t.Errorf("wall URL after restart = %s, want the same URL as before (%s): a TV cannot be re-linked by hand", second.WallURL, first.WallURL)
		}
		// Current state = the new instance's data: both sources updated after the restart.
		current := func(id string) string {
			return `(` + sourceUpdatedJS(id) + ` >= ` + strconv.FormatInt(restarted.UnixMilli(), 10) + `)`
		}
		tb.waitJS(t, 60*time.Second, "the page to reconnect and show the restarted server's data",
			`document.getElementById('conn').hidden && `+current("comm100")+` && `+current("liveperson")+` && `+hasFiguresJS)
		if !evalJS[bool](t, tb, markerJS(marker)) {
			t.Fatal("the page was reloaded (marker gone); want the WebSocket to reconnect in the same document")
		}
	})

	t.Run("vendor fault shows stale, clearing it recovers", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 13})
		tb := newTab(t, browser)
		marker := tb.open(t, app.WallURL)
		tb.waitJS(t, 45*time.Second, "comm100 delivering data", sourceHealthyJS("comm100"))
		if evalJS[bool](t, tb, staleTileJS("comm100")) {
			t.Fatal("a comm100 tile shows STALE before any fault")
		}

		app.simFault(t, `{"vendor":"comm100","kind":"server_error","status":503}`)
		tb.waitJS(t, 45*time.Second, "comm100's freshness entry failing with the 503 in its text",
			`(() => { const s = `+sourceJS("comm100")+`; return !!s && s.classList.contains('failing') && /stale since/.test(s.textContent) && /503/.test(s.textContent) })()`)
		tb.waitJS(t, 5*time.Second, "a STALE badge on a comm100 tile", staleTileJS("comm100"))

		app.simFault(t, "")
		tb.waitJS(t, 60*time.Second, "comm100 healthy again and no comm100 tile stale",
			sourceHealthyJS("comm100")+` && !`+staleTileJS("comm100"))
		if !evalJS[bool](t, tb, markerJS(marker)) {
			t.Fatal("the page was reloaded (marker gone); want stale state pushed into the same document")
		}
	})

	t.Run("screenshot of the manager board", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 14, floor: "large"})
		tb := newTab(t, browser, chromedp.WithNewBrowserContext()) // it signs in
		tb.do(t, 10*time.Second, chromedp.EmulateViewport(1920, 1080))
		// The wall's screenshots are taken on the large floor (TestBrowserWallLegible).
		shots := []struct{ name, url string }{
			{"manager", app.Base + "/boards/demo"},
		}
		for _, s := range shots {
			if s.name == "manager" {
				tb.login(t, app) // the manager board is for signed-in users
			}
			tb.open(t, s.url)
			tb.waitJS(t, 45*time.Second, s.name+" board with both sources healthy",
				hasFiguresJS+` && `+sourceHealthyJS("comm100")+` && `+sourceHealthyJS("liveperson"))
			var shot []byte
			tb.do(t, 20*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
				var err error
				shot, err = chromedp.CaptureScreenshot()(ctx, tt)
				return err
			}))
			checkPNG(t, s.name, shot, 1920, 1080)
			saveArtifact(t, s.name+".png", shot)
			noProblems(t, tb, "manager board skill tiles at 1920 px", skillTilesFitJS)
		}
	})

	t.Run("revoked device wall drops to the unlinked page", func(t *testing.T) {
		t.Parallel()
		app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 15})
		if printedWallURL(app.stdout.String()) == "" {
			t.Fatalf("the demo printed no device wall link; stdout:\n%s", app.stdout.String())
		}
		wall := newTab(t, browser)
		marker := wall.open(t, app.WallURL)
		wall.waitJS(t, 45*time.Second, "figures on the device's wall board", hasFiguresJS)

		// The admin works in a browser context of their own: a TV never has their cookie.
		admin := newTab(t, browser, chromedp.WithNewBrowserContext())
		admin.login(t, app)
		confirm := chromedp.CSS(`tr[data-testid="device"] details[data-testid="revoke"] summary`)
		revoke := chromedp.CSS(`tr[data-testid="device"] form[action$="/revoke"] button`)
		admin.do(t, 30*time.Second, chromedp.Navigate(app.Base+"/admin/devices"), chromedp.WaitVisible(confirm))
		if n := evalJS[int](t, admin, `document.querySelectorAll('tr[data-testid="device"]').length`); n != 1 {
			t.Fatalf("devices listed = %d, want 1 (the demo wall)", n)
		}
		admin.do(t, 15*time.Second, chromedp.Click(confirm), chromedp.WaitVisible(revoke), chromedp.Click(revoke))
		admin.waitJS(t, 15*time.Second, "the device listed as revoked",
			`Array.from(document.querySelectorAll('tr[data-testid="device"]')).every(r => /revoked/.test(r.textContent))`)

		// Unlinked within one ping interval (20 s); the revoke kicks the socket at once.
		wall.waitJS(t, 25*time.Second, "the wall to show the unlinked page",
			`(() => { const e = document.querySelector('[data-testid="error"]'); return !!e && /unlinked/i.test(e.textContent) && !document.querySelector('main .fv') })()`)
		if evalJS[bool](t, wall, markerJS(marker)) {
			t.Error("the unlinked page is the old document (marker still set); want the page reloaded to the server's answer")
		}
	})

	t.Run("embed in a cross-site iframe: live where allowed, refused elsewhere", func(t *testing.T) {
		t.Parallel()
		crm := startFramer(t)
		dir := t.TempDir()
		cfgPath := filepath.Join(dir, "ccdash.yaml")
		cfgYAML := "embed_origins:\n  - " + crm.origin("localhost") + "\n" // no sources: still the demo
		if err := os.WriteFile(cfgPath, []byte(cfgYAML), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg := appConfig{addr: "127.0.0.1:0", seed: 16, dataDir: filepath.Join(dir, "data"), config: cfgPath}
		app := startDemoApp(t, cfg)
		crm.src.Store(embedURL(t, app, cfg))

		allowed := newTab(t, browser)
		allowed.do(t, 30*time.Second, chromedp.Navigate(crm.url("localhost")), chromedp.WaitReady(chromedp.CSS("#f")))
		frame := allowed.frameTab(t, app.Base+"/embed/", 30*time.Second)
		frame.waitJS(t, 45*time.Second, "figures in the embedded board", hasFiguresJS)
		before := evalJS[string](t, frame, figuresJS)
		frame.waitJS(t, 45*time.Second, "a figure in the iframe to change from "+before, figuresJS+` !== `+strconv.Quote(before))
		for _, m := range allowed.messages() {
			if strings.Contains(m.Text, "frame-ancestors") {
				t.Errorf("allowed origin %s got a framing error: %s", crm.origin("localhost"), m)
			}
		}

		refused := newTab(t, browser)
		refused.do(t, 30*time.Second, chromedp.Navigate(crm.url("127.0.0.1")), chromedp.WaitReady(chromedp.CSS("#f")))
		m := refused.waitConsole(t, 20*time.Second, "Chromium refusing the frame by CSP frame-ancestors",
			// Chromium's wording changed over versions; both name the directive.
			regexp.MustCompile(`(?i)(violates the following Content Security Policy directive: "frame-ancestors|refused to frame.*frame-ancestors)`))
		t.Logf("refused as expected: %s", m)
	})
}

// embedURL is a signed embed link for the demo board, made the way an operator makes
// one (`dashboard embed-url`, same data dir and config as the server), pointed at the
// address the test server listens on.
func embedURL(t *testing.T, app *demoApp, cfg appConfig) string {
	t.Helper()
	var out, errOut bytes.Buffer
	args := []string{"--config", cfg.config, "--data-dir", cfg.dataDir, "--board", "demo"}
	if err := runEmbedURL(args, cfg.getenv, time.Now(), &out, &errOut); err != nil {
		t.Fatalf("embed-url %v: %v\n%s", args, err, errOut.String())
	}
	u, err := url.Parse(strings.TrimSpace(out.String()))
	if err != nil || !strings.HasPrefix(u.Path, "/embed/demo") || u.RawQuery == "" {
		t.Fatalf("embed-url printed %q, want an /embed/demo link with a token", out.String())
	}
	return app.Base + u.RequestURI()
}

// checkPNG fails unless b is a PNG of exactly w×h (the viewport, not a blank error).
func checkPNG(t *testing.T, name string, b []byte, w, h int) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s screenshot: %v", name, err)
	}
	if cfg.Width != w || cfg.Height != h {
		t.Errorf("%s screenshot is %dx%d, want %dx%d", name, cfg.Width, cfg.Height, w, h)
	}
}

// saveArtifact writes a screenshot under testdata/artifacts/ (gitignored, kept by
// CI) and, with CCDASH_UPDATE_DOCS=1, over the committed copy in docs/.
func saveArtifact(t *testing.T, name string, b []byte) {
	t.Helper()
	root := repoRoot(t)
	dirs := []string{filepath.Join(root, "testdata", "artifacts")}
	if os.Getenv("CCDASH_UPDATE_DOCS") == "1" {
		dirs = append(dirs, filepath.Join(root, "docs"))
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", p)
	}
}
