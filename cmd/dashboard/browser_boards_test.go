package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitingFigJS is the wall's queue tile "Waiting" figure.
const waitingFigJS = `Array.from(document.querySelectorAll('.t-queue .fig')).find(e => (e.querySelector('.fl') || {}).textContent === 'Waiting')`

// figColourJS is the colour the waiting figure's value is drawn in, and its level word.
const figColourJS = `getComputedStyle(` + waitingFigJS + `.querySelector('.fv')).color + ' ' + ((` + waitingFigJS + `.querySelector('.fw') || {}).textContent || '')`

// waitingAtLeastOneAs is true while the waiting figure shows 1 or more in level lvl.
func waitingAtLeastOneAs(lvl string) string {
	return `(() => { const f = ` + waitingFigJS + `; return !!f && f.classList.contains('lvl-` + lvl + `') && parseInt(f.querySelector('.fv').textContent, 10) >= 1 })()`
}

// TestBrowserBoardEditor: an admin creates a board in the browser (previewing it
// first), it is listed on / and opens live; editing its thresholds re-colours an
// open wall on its socket, without a reload or reconnect; an invalid edit shows the
// config's message. The editor's pages pass axe in each state.
func TestBrowserBoardEditor(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(cfg, []byte("boards:\n  - {id: floor, public: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 43, config: cfg, dataDir: filepath.Join(dir, "data")})
	admin := newTab(t, browser, chromedp.WithNewBrowserContext())
	admin.login(t, app)
	admin.open(t, app.Base+"/admin/boards")
	checkAxe(t, admin, "/admin/boards with a config board")
	if !evalJS[bool](t, admin, `!!document.querySelector('tr[data-board="floor"] [data-testid="board-copy"]') && !document.querySelector('tr[data-board="floor"] [data-testid="board-edit"]')`) {
		t.Errorf("the config board is not listed read-only with Copy:\n%s", admin.dump())
	}

	setField := func(name, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(`[name="`+name+`"]`), value)
	}
	admin.do(t, 20*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="board-new"]`)))
	admin.waitJS(t, 10*time.Second, "the new-board form", `!!document.querySelector('[data-testid="board-form"]')`)
	checkAxe(t, admin, "/admin/boards/new")
	admin.do(t, 20*time.Second,
		setField("id", "sales"), setField("title", "Sales floor"),
		setField("thresholds.waiting_warn", "100000"), setField("thresholds.waiting_crit", "200000"),
		chromedp.Click(chromedp.CSS(`input[name="public"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="board-preview"]`)),
	)
	admin.waitJS(t, 20*time.Second, "the preview of the unsaved board in its frame",
		`(() => { const d = document.querySelector('iframe[name="board-preview"]').contentDocument; return !!d && !!d.querySelector('h1') && d.querySelector('h1').textContent === 'Sales floor' && d.querySelectorAll('.fv').length > 0 })()`)
	admin.do(t, 20*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="board-save"]`)))
	admin.waitJS(t, 15*time.Second, "the saved board listed", `location.pathname === '/admin/boards' && !!document.querySelector('tr[data-board="sales"] [data-testid="board-edit"]')`)
	checkAxe(t, admin, "/admin/boards with an edited board and the audit log")

	admin.open(t, app.Base+"/")
	admin.waitJS(t, 10*time.Second, "the new board on the index", `!!document.querySelector('a[href="/wall/sales"]')`)

	wall := newTab(t, browser, chromedp.WithNewBrowserContext())
	wall.do(t, 10*time.Second, chromedp.EmulateViewport(1920, 1080))
	marker := wall.open(t, app.Base+"/wall/sales")
	wall.waitJS(t, 45*time.Second, "the new board live, its socket open", hasFiguresJS+` && document.getElementById('conn').hidden && document.body.hasAttribute('ws-connect')`)
	evalJS[bool](t, wall, `(window.__opens = 0, document.body.addEventListener('htmx:wsOpen', () => window.__opens++), true)`)
	// The demo's queue comes and goes: wait for contacts waiting, which these
	// thresholds call fine.
	wall.waitJS(t, 90*time.Second, "contacts waiting, shown as fine", waitingAtLeastOneAs("ok"))
	okColour := evalJS[string](t, wall, figColourJS)

	admin.open(t, app.Base+"/admin/boards/sales/edit")
	admin.do(t, 20*time.Second, setField("thresholds.waiting_warn", "1"), setField("thresholds.waiting_crit", "100000"),
		chromedp.Click(chromedp.CSS(`[data-testid="board-save"]`)))
	admin.waitJS(t, 15*time.Second, "the edit saved", `location.pathname === '/admin/boards' && /saved/.test((document.querySelector('[data-testid="boards-message"]') || {}).textContent)`)

	wall.waitJS(t, 90*time.Second, "the open wall re-coloured by the new threshold", waitingAtLeastOneAs("warn"))
	warnColour := evalJS[string](t, wall, figColourJS)
	if warnColour == okColour {
		t.Errorf("the warn figure looks like the fine one (%s)", okColour)
	}
	if !evalJS[bool](t, wall, markerJS(marker)+` && window.__opens === 0`) {
		t.Errorf("the wall reloaded (marker %q gone) or reconnected (%v opens) to show the edit; it should re-render on its socket",
			marker, evalJS[int](t, wall, `window.__opens || 0`))
	}

	admin.open(t, app.Base+"/admin/boards/sales/edit")
	admin.do(t, 20*time.Second, setField("thresholds.waiting_warn", "9"), setField("thresholds.waiting_crit", "4"),
		chromedp.Click(chromedp.CSS(`[data-testid="board-save"]`)))
	admin.waitJS(t, 15*time.Second, "the config's message for the inverted thresholds",
		`/^config: boards\[0\]\.thresholds\.waiting_warn: /.test((document.querySelector('[data-testid="board-form-problem"]') || {}).textContent)`)
	checkAxe(t, admin, "the board form showing a refusal")
	if got := evalJS[string](t, wall, `document.querySelector('h1').textContent`); got != "Sales floor" {
		t.Errorf("the wall's title after a refused edit = %q", got)
	}
}
