package main

// The week-long page soak: a wall stays open for weeks, so a week of diffs pushed
// into one page must leave its DOM as it was and its heap flat. The messages are
// real ones (views.Diff of a synthetic floor polled every 10 s), rendered once
// and sent round and round at the speed the page takes them.

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
	"github.com/ccdash/ccdash/internal/views"
)

// weekOfPolls is a week of the demo's 10 s polls: 7 × 24 × 360.
const weekOfPolls = 60480

// soakCycle is how many snapshots the pushed messages walk through before they
// come back to the first: twenty minutes of the floor. Sending a multiple of it
// leaves the page showing the first snapshot again.
const soakCycle = 120

// pageMemory is what the page holds after a full garbage collection.
type pageMemory struct {
	heapUsed  float64 // JS heap in use, bytes
	elements  int     // elements in the document
	docNodes  int     // nodes in the document's tree, text and comments too
	nodes     int64   // DOM nodes alive (detached ones too)
	listeners int64   // JS event listeners
}

func measurePage(t testing.TB, tb *tab) pageMemory {
	t.Helper()
	var m pageMemory
	tb.do(t, 60*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tt, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return err
		}
		heap, err := cdp.Call(ctx, tt, runtime.GetHeapUsage, cdp.Empty{})
		if err != nil {
			return err
		}
		dom, err := cdp.Call(ctx, tt, memory.GetDOMCounters, cdp.Empty{})
		if err != nil {
			return err
		}
		m.heapUsed, m.nodes, m.listeners = heap.UsedSize, dom.Nodes, dom.JsEventListeners
		return nil
	}))
	m.elements = evalJS[int](t, tb, `document.getElementsByTagName('*').length`)
	m.docNodes = evalJS[int](t, tb, docNodesJS)
	return m
}

// docNodesJS counts every node in the document's tree. Chromium's DOM counter
// (pageMemory.nodes) also counts detached nodes a script still holds, such as the
// last fragment a swap parsed; this one tells the tree itself from those.
const docNodesJS = `(() => {
	const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
	let n = 0;
	while (w.nextNode()) n++;
	return n;
})()`

// soakMessages renders the messages of one cycle of a demo-sized floor (11
// skills, 70 agents): message i turns snapshot i into snapshot i+1, the last
// turns it back into the first. It returns the first snapshot too.
func soakMessages(t testing.TB, v views.Variant) (*snapshot.Snapshot, [][]byte) {
	t.Helper()
	f := storetest.NewFloor(11, 70, time.Now().Add(-time.Hour), 3)
	snaps := make([]*snapshot.Snapshot, soakCycle)
	tiles := make([]views.Tileset, soakCycle)
	for i := range snaps {
		snaps[i] = f.Step(10 * time.Second)
		ts, err := views.RenderTiles(context.Background(), v, snaps[i])
		if err != nil {
			t.Fatal(err)
		}
		tiles[i] = ts
	}
	msgs := make([][]byte, soakCycle)
	for i := range msgs {
		msgs[i] = views.Message(views.Diff(tiles[i], tiles[(i+1)%soakCycle]), time.Now())
	}
	return snaps[0], msgs
}

// soak opens one wall page, pushes n messages (a multiple of soakCycle) into it
// and returns its memory before and after, and how long the pushing took.
func soak(t testing.TB, n int) (before, after pageMemory, took time.Duration) {
	t.Helper()
	if n%soakCycle != 0 {
		t.Fatalf("soak of %d messages: want a multiple of %d", n, soakCycle)
	}
	v := views.Variant{Board: views.DefaultBoard(), Audience: views.Wall}
	first, msgs := soakMessages(t, v)
	lp := startLivePage(t, v, first)
	browser := newBrowser(t)
	live, fresh := lp.openLive(t, browser), newTab(t, browser)
	before = measurePage(t, live)
	start := time.Now()
	// Keep a window of messages in flight: enough to keep the page busy, few
	// enough that the socket's buffers are not what is measured.
	const window = 64
	sent, done, stalled := 0, 0, time.Now()
	for done < n {
		for sent < n && sent-done < window {
			lp.push <- msgs[sent%soakCycle]
			sent++
		}
		// A page busy swapping may answer late: a slow read is no progress yet,
		// and only a page that takes nothing for a minute fails.
		ctx, cancel := context.WithTimeout(live.ctx, 20*time.Second)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__msgs`))
		cancel()
		if err == nil && got > done {
			done, stalled = got, time.Now()
		} else if time.Since(stalled) > 60*time.Second {
			t.Fatalf("the page took no message for 60 s at %d of %d (last read: %v)", done, n, err)
		}
	}
	took = time.Since(start)
	t.Logf("the page was busy swapping messages in for %.1f s of %v", evalJS[float64](t, live, `window.__busy`)/1e3, took.Round(time.Second))
	after = measurePage(t, live)
	// The page shows the first snapshot again, as a fresh load of it does.
	fresh.open(t, lp.srv.URL+"/page")
	if got, want := evalJS[string](t, live, agentsJS), evalJS[string](t, fresh, agentsJS); got != want {
		t.Errorf("after %d messages the agents tile differs from a fresh load\nlive:  %s\nfresh: %s", n, diffFrom(got, want), diffFrom(want, got))
	}
	return before, after, took
}

func logSoak(t testing.TB, n int, before, after pageMemory, took time.Duration) {
	t.Helper()
	t.Logf("%d messages in %v (%.0f/s): JS heap %.2f → %.2f MB (%+.2f MB), elements %d → %d, nodes in the document %d → %d, DOM nodes alive %d → %d, listeners %d → %d",
		n, took.Round(time.Millisecond), float64(n)/took.Seconds(), before.heapUsed/1e6, after.heapUsed/1e6, (after.heapUsed-before.heapUsed)/1e6,
		before.elements, after.elements, before.docNodes, after.docNodes, before.nodes, after.nodes, before.listeners, after.listeners)
}

// TestBrowserWallPageSoak: 1,200 diffs (3 hours and 20 minutes of polls) leave a
// wall page with exactly the elements it had and a JS heap grown by at most 5 MB.
// BenchmarkWallPageWeek (`make bench-soak`) pushes the full week: this floor
// changes more between polls than the demo (median message 7 KB), and a page on a
// loaded machine swaps in only tens a second.
func TestBrowserWallPageSoak(t *testing.T) {
	const n = 10 * soakCycle
	before, after, took := soak(t, n)
	logSoak(t, n, before, after, took)
	checkSoak(t, n, before, after)
}

// checkSoak fails t when a page that took n messages and shows its first
// snapshot again has another document tree, more listeners, or a heap grown by
// more than the 5 MB.
func checkSoak(t testing.TB, n int, before, after pageMemory) {
	t.Helper()
	if after.elements != before.elements || after.docNodes != before.docNodes {
		t.Errorf("after %d messages: elements %d → %d, nodes in the document %d → %d; want both unchanged",
			n, before.elements, after.elements, before.docNodes, after.docNodes)
	}
	if grown := after.heapUsed - before.heapUsed; grown > 5e6 {
		t.Errorf("JS heap grew %.2f MB over %d messages, want ≤ 5 MB", grown/1e6, n)
	}
	if after.listeners > before.listeners {
		t.Errorf("event listeners: %d before, %d after; want no more", before.listeners, after.listeners)
	}
}

// BenchmarkWallPageWeek pushes a week of the demo's diffs (60,480 messages) into
// one wall page and reports its JS heap growth and DOM nodes before and after.
// One run takes minutes (an hour on a loaded machine): `make bench-soak` runs it,
// `make bench` last.
func BenchmarkWallPageWeek(b *testing.B) {
	for b.Loop() {
		before, after, took := soak(b, weekOfPolls/soakCycle*soakCycle)
		logSoak(b, weekOfPolls, before, after, took)
		b.ReportMetric((after.heapUsed-before.heapUsed)/1e6, "heap-growth-MB")
		b.ReportMetric(float64(after.elements-before.elements), "elements-added")
		b.ReportMetric(float64(after.docNodes-before.docNodes), "doc-nodes-added")
		b.ReportMetric(float64(after.nodes), "dom-nodes-after")
		b.ReportMetric(float64(before.nodes), "dom-nodes-before")
		b.ReportMetric(float64(weekOfPolls)/took.Seconds(), "msgs/s")
		checkSoak(b, weekOfPolls, before, after)
	}
}
