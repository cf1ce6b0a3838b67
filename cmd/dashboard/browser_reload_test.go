package main

// Browser test of a config reload as the people involved see it: the admin presses
// the button on /admin/config (axe-clean in each state), and a wall across the room
// shows the new board without reloading or reconnecting.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// reloadStatusJS is the text of the last reload's status line on /admin/config.
const reloadStatusJS = `((document.querySelector('[data-testid="reload-status"]') || {}).textContent || '')`

// reloadableWall is a demo app run from a config file of one public board "floor"
// titled title, and a wall display open on it with its socket up. write replaces the
// file's boards list.
func reloadableWall(t *testing.T, browser context.Context, seed int64, title string) (app *demoApp, wall *tab, marker string, write func(boards string)) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	write = func(boards string) {
		t.Helper()
		if err := os.WriteFile(path, []byte("boards:\n"+boards), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("  - {id: floor, title: " + title + ", public: true}\n")
	app = startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: seed, config: path, dataDir: filepath.Join(dir, "data")})
	wall = newTab(t, browser, chromedp.WithNewBrowserContext())
	wall.do(t, 10*time.Second, chromedp.EmulateViewport(1920, 1080))
	marker = wall.open(t, app.Base+"/wall/floor")
	wall.waitJS(t, 45*time.Second, "the wall with figures, its socket open", hasFiguresJS+` && document.getElementById('conn').hidden`)
	evalJS[bool](t, wall, `(window.__opens = 0, document.body.addEventListener('htmx:wsOpen', () => window.__opens++), true)`)
	return app, wall, marker, write
}

func TestBrowserReload(t *testing.T) {
	browser := newBrowser(t)
	app, wall, marker, write := reloadableWall(t, browser, 25, "First floor")

	admin := newTab(t, browser, chromedp.WithNewBrowserContext())
	admin.login(t, app)
	admin.open(t, app.Base+"/admin/config")
	checkAxe(t, admin, "/admin/config before any reload")
	reload := func() {
		t.Helper()
		admin.do(t, 20*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="reload"]`)))
	}

	write("  - {id: floor, title: Second floor, public: true, thresholds: {stale_after: 77s}}\n")
	reload()
	admin.waitJS(t, 20*time.Second, "the applied reload on the admin page", `/^\s*Applied/.test(`+reloadStatusJS+`)`)
	checkAxe(t, admin, "/admin/config after an applied reload")
	wall.waitJS(t, 30*time.Second, "the wall re-rendered with the new title and threshold",
		`document.querySelector('h1').textContent === 'Second floor' && !!document.querySelector('[data-stale-after="77000"]')`)
	if !evalJS[bool](t, wall, markerJS(marker)+` && window.__opens === 0`) {
		t.Error("the wall reloaded or reconnected to show the new board; it should re-render on its socket")
	}

	write("  - {id: Floor, public: true}\n")
	reload()
	admin.waitJS(t, 20*time.Second, "the refusal on the admin page, naming the key",
		`/Refused/.test(`+reloadStatusJS+`) && /boards\[0\]\.id/.test(document.querySelector('[data-testid="reload-problems"]').textContent)`)
	checkAxe(t, admin, "/admin/config showing a refused reload")
	if !evalJS[bool](t, wall, markerJS(marker)+` && document.querySelector('h1').textContent === 'Second floor'`) {
		t.Error("the wall changed after a refused reload")
	}
}
