package main

// Browser test of the race between a page fetching itself (its layout changed) and a
// tile update arriving on its socket meanwhile: the update must be on screen after
// the swap, not lost with the old DOM. The page's fetch is held at the response
// stage with the DevTools Fetch domain, so the page it swaps in is certainly older
// than the update.

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestBrowserSwapKeepsUpdates(t *testing.T) {
	browser := newBrowser(t)
	app, wall, marker, write := reloadableWall(t, browser, 26, "First floor")
	wall.waitJS(t, 45*time.Second, "comm100 healthy", sourceHealthyJS("comm100"))

	// Hold the page's own fetch of itself once the server has answered it.
	held := make(chan cdpfetch.RequestID, 16)
	paused := chromedp.Events(wall.ctx, cdpfetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			held <- ev.RequestID
		}
	}()
	fetchCall := func(call func(ctx context.Context, tt *chromedp.Target) error) {
		t.Helper()
		wall.do(t, 10*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error { return call(ctx, tt) }))
	}
	fetchCall(func(ctx context.Context, tt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tt, cdpfetch.Enable, cdpfetch.EnableParams{Patterns: []*cdpfetch.RequestPattern{{
			URLPattern: "*/wall/floor*", ResourceType: network.ResourceTypeFetch, RequestStage: cdpfetch.RequestStageResponse,
		}}})
		return err
	})

	admin := newTab(t, browser, chromedp.WithNewBrowserContext())
	admin.login(t, app)
	admin.open(t, app.Base+"/admin/config")
	write("  - {id: floor, title: Second floor, public: true}\n")
	admin.do(t, 20*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="reload"]`)))

	var id cdpfetch.RequestID
	select {
	case id = <-held:
	case <-time.After(45 * time.Second):
		t.Fatal("the wall did not fetch itself within 45s of the reload")
	}

	// The update: comm100 starts failing while the fetched page (healthy) is held.
	app.simFault(t, `{"vendor":"comm100","kind":"server_error","status":503}`)
	failing := `(() => { const s = ` + sourceJS("comm100") + `; return !!s && s.classList.contains('failing') })()`
	wall.waitJS(t, 60*time.Second, "comm100 failing on the old page, its fetch still held",
		failing+` && document.querySelector('h1').textContent === 'First floor'`)

	fetchCall(func(ctx context.Context, tt *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tt, cdpfetch.ContinueRequest, cdpfetch.ContinueRequestParams{RequestID: id}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tt, cdpfetch.Disable, cdp.Empty{})
		return err
	})
	wall.waitJS(t, 30*time.Second, "the new layout swapped in", `document.querySelector('h1').textContent === 'Second floor'`)
	if !evalJS[bool](t, wall, failing) {
		t.Errorf("after the swap comm100 shows healthy: the failure that arrived during the page's fetch was lost\n%s", wall.dump())
	}
	if !evalJS[bool](t, wall, markerJS(marker)+` && window.__opens === 0`) {
		t.Error("the wall reloaded or reconnected; it should re-render on its socket")
	}
}
