package main

// Browser tests of issue 13's screens: a device on a playlist switches boards on its
// one socket without reloading, the screens page acts on one TV of two (identify,
// reload, rebind), and pairing by code turns a fresh TV into a device.

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const screensConfig = `boards:
  - id: sales
    title: Sales floor
  - id: support
    title: Support floor
    theme: light
playlists:
  - id: floor
    title: Both floors
    boards:
      - {board: sales, duration: 5s}
      - {board: support, duration: 5s}
`

// wallTitleJS is the board title a wall page shows.
const wallTitleJS = `(document.querySelector('.wh h1') || {}).textContent`

func TestBrowserScreens(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(cfg, []byte(screensConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 41, config: cfg, dataDir: filepath.Join(dir, "data")})
	admin := newTab(t, browser, chromedp.WithNewBrowserContext())
	admin.login(t, app)

	// pair shows /pair on a fresh TV, enters its code on the screens page as an admin
	// would, and waits for the TV to open its wall. It returns the new device's id.
	pair := func(t *testing.T, tv *tab, name, target string) string {
		t.Helper()
		tv.open(t, app.Base+"/pair")
		tv.waitJS(t, 10*time.Second, "a pairing code and its QR code", `/^\d{6}$/.test(document.querySelector('[data-testid="pair-code"]').textContent) && !!document.querySelector('svg[data-testid="pair-qr"]')`)
		code := evalJS[string](t, tv, `document.querySelector('[data-testid="pair-code"]').textContent`)
		admin.open(t, app.Base+"/admin/screens")
		admin.do(t, 20*time.Second,
			chromedp.SendKeys(chromedp.CSS(`input[data-testid="pair-code"]`), code),
			chromedp.SendKeys(chromedp.CSS(`input[data-testid="pair-name"]`), name),
			chromedp.SetValue(chromedp.CSS(`#pair-target`), target),
			chromedp.Click(chromedp.CSS(`[data-testid="pair-submit"]`)),
		)
		admin.waitJS(t, 15*time.Second, "the pairing confirmed", `(document.querySelector('[data-testid="screens-message"]') || {}).textContent === 'The screen is paired and opens its board now.'`)
		tv.waitJS(t, 30*time.Second, "the paired TV on its wall", `location.pathname.startsWith('/wall/') && !!document.querySelector('.wh h1') && document.body.hasAttribute('ws-connect')`)
		id := evalJS[string](t, admin, `(Array.from(document.querySelectorAll('tr[data-testid="screen"]')).find(r => r.querySelector('[data-testid="screen-name"]').textContent === `+strconv.Quote(name)+`) || {dataset: {}}).dataset.device || ''`)
		if id == "" {
			t.Fatalf("no row for %q on the screens page:\n%s", name, admin.dump())
		}
		return id
	}
	// sockets is what the screens page lists for device id: one "connected since" per
	// open socket (the server's socket count for that TV).
	sockets := func(t *testing.T, id string) []string {
		t.Helper()
		ctx, cancel := context.WithTimeout(admin.ctx, 10*time.Second)
		defer cancel()
		table, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/admin/screens/table').then(r => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("reading the screens table: %v", err)
		}
		row := regexp.MustCompile(`(?s)<tr data-testid="screen" data-device="` + id + `".*?</tr>`)
		var out []string
		for _, r := range row.FindAllString(table, -1) {
			if m := regexp.MustCompile(`<time datetime="([^"]+)"`).FindStringSubmatch(r); m != nil {
				out = append(out, m[1])
			}
		}
		return out
	}

	tv1 := newTab(t, browser, chromedp.WithNewBrowserContext())
	tv2 := newTab(t, browser, chromedp.WithNewBrowserContext())
	var id1, id2 string

	t.Run("pairing by code turns a fresh TV into a device showing its board", func(t *testing.T) {
		id1 = pair(t, tv1, "TV one", "playlist:floor")
		id2 = pair(t, tv2, "TV two", "board:support")
		tv2.waitJS(t, 30*time.Second, "TV two showing its board", wallTitleJS+` === 'Support floor'`)
		checkAxe(t, tv2, "wall after pairing")
	})

	t.Run("a playlist device shows each board in turn on one socket without reloading", func(t *testing.T) {
		tv1.waitJS(t, 30*time.Second, "TV one's wall live", `!!document.querySelector('#tile-queue')`)
		marker := evalJS[string](t, tv1, `window.__ccdashMarker = 'playlist-'+Date.now()`)
		// No unstyled frame: the page's own stylesheets are never taken out to switch.
		evalJS[bool](t, tv1, `(() => { window.__sheetsRemoved = 0; new MutationObserver(ms => ms.forEach(m => m.removedNodes.forEach(n => {
			if (n.tagName === 'LINK' && /\/static\/(app|wall)\.css$/.test(n.getAttribute('href'))) window.__sheetsRemoved++ }))).observe(document.head, {childList: true}); return true })()`)
		first := sockets(t, id1)
		if len(first) != 1 {
			t.Fatalf("TV one has %d sockets, want 1", len(first))
		}
		// Title, page title and theme change with the board (Support is light).
		for i, want := range []string{"Sales floor", "Support floor", "Sales floor", "Support floor"} {
			light := strconv.FormatBool(want == "Support floor")
			tv1.waitJS(t, 30*time.Second, "board "+strconv.Itoa(i)+" of the rotation: "+want,
				wallTitleJS+` === `+strconv.Quote(want)+` && document.title.startsWith(`+strconv.Quote(want)+`) && !!document.querySelector('#tile-queue')`+
					` && document.body.classList.contains('theme-light') === `+light)
		}
		if !evalJS[bool](t, tv1, `window.__ccdashMarker === `+strconv.Quote(marker)) {
			t.Error("TV one reloaded while rotating")
		}
		if n := evalJS[int](t, tv1, `window.__sheetsRemoved`); n != 0 {
			t.Errorf("switching boards took the page's stylesheets out %d times (an unstyled frame)", n)
		}
		if got := sockets(t, id1); len(got) != 1 || got[0] != first[0] {
			t.Errorf("TV one's sockets after four boards = %v, want the one it opened at %v", got, first)
		}
	})

	t.Run("identify and reload from the screens page act on that TV only", func(t *testing.T) {
		admin.open(t, app.Base+"/admin/screens")
		m1 := evalJS[string](t, tv1, `window.__ccdashMarker = 'one-'+Date.now()`)
		m2 := evalJS[string](t, tv2, `window.__ccdashMarker = 'two-'+Date.now()`)
		click := func(id, action string) {
			t.Helper()
			ok := evalJS[bool](t, admin, `(() => { const b = document.querySelector('tr[data-device="`+id+`"] button[data-testid="`+action+`"]'); if (!b) return false; b.click(); return true })()`)
			if !ok {
				t.Fatalf("no %s button for %s:\n%s", action, id, admin.dump())
			}
			admin.waitJS(t, 15*time.Second, action+" confirmed", `location.search.includes('done=`+action+`')`)
		}
		click(id1, "identify")
		tv1.waitJS(t, 10*time.Second, "TV one showing its name large",
			`(() => { const e = document.getElementById('identify'); return !!e && e.textContent === 'TV one' && parseFloat(getComputedStyle(e).fontSize) >= 60 && e.getBoundingClientRect().width >= innerWidth * 0.9 })()`)
		if evalJS[bool](t, tv2, `!!document.getElementById('identify')`) {
			t.Error("TV two identified itself too")
		}
		tv1.waitJS(t, 20*time.Second, "TV one's name to go away after 10 s", `!document.getElementById('identify')`)

		click(id2, "reload")
		tv2.waitJS(t, 20*time.Second, "TV two reloaded", `window.__ccdashMarker !== `+strconv.Quote(m2)+` && !!document.querySelector('#tile-queue')`)
		if !evalJS[bool](t, tv1, `window.__ccdashMarker === `+strconv.Quote(m1)) {
			t.Error("TV one reloaded when TV two was told to")
		}
	})

	t.Run("rebinding a TV switches it in place", func(t *testing.T) {
		admin.open(t, app.Base+"/admin/screens")
		tv2.waitJS(t, 20*time.Second, "TV two on Support", wallTitleJS+` === 'Support floor'`)
		marker := evalJS[string](t, tv2, `window.__ccdashMarker = 'bind-'+Date.now()`)
		before := sockets(t, id2)
		start := time.Now()
		ok := evalJS[bool](t, admin, `(() => { const f = document.querySelector('tr[data-device="`+id2+`"] form.bind'); if (!f) return false; f.querySelector('select').value = 'board:sales'; f.requestSubmit(); return true })()`)
		if !ok {
			t.Fatalf("no Show form for TV two:\n%s", admin.dump())
		}
		// The README's "within one second" comes from this measurement, not from an
		// assertion: the deadline is generous for a loaded machine.
		tv2.waitJS(t, 20*time.Second, "TV two switched to Sales", wallTitleJS+` === 'Sales floor'`)
		t.Logf("rebind: TV two showed the new board %v after the click (includes the form post and redirect)", time.Since(start).Round(time.Millisecond))
		if !evalJS[bool](t, tv2, `window.__ccdashMarker === `+strconv.Quote(marker)) {
			t.Error("TV two reloaded to switch")
		}
		if got := sockets(t, id2); len(got) != 1 || len(before) != 1 || got[0] != before[0] {
			t.Errorf("TV two's sockets %v, before %v: want the same one", got, before)
		}
		if got := evalJS[string](t, tv1, wallTitleJS); !strings.HasSuffix(got, "floor") {
			t.Errorf("TV one shows %q", got)
		}
	})

	t.Run("axe-core on /admin/screens and /pair", func(t *testing.T) {
		admin.open(t, app.Base+"/admin/screens")
		admin.waitJS(t, 10*time.Second, "the screens table", `document.querySelectorAll('tr[data-testid="screen"]').length >= 2`)
		checkAxe(t, admin, "/admin/screens")
		fresh := newTab(t, browser, chromedp.WithNewBrowserContext())
		fresh.open(t, app.Base+"/pair")
		fresh.waitJS(t, 10*time.Second, "a pairing code", `/^\d{6}$/.test(document.querySelector('[data-testid="pair-code"]').textContent)`)
		checkAxe(t, fresh, "/pair")
	})
}
