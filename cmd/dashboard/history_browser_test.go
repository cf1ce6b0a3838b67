package main

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
	"github.com/ccdash/ccdash/internal/views"
)

// prefillHistory records twenty minutes of a synthetic floor (up to half a minute ago)
// into dataDir's history file, as a server running then would have.
func prefillHistory(t *testing.T, dataDir string) []*snapshot.Snapshot {
	t.Helper()
	st, err := bolt.OpenHistory(filepath.Join(dataDir, bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := history.New(st, history.Config{})
	f := storetest.NewFloor(6, 30, time.Now().Add(-20*time.Minute), 5)
	snaps := []*snapshot.Snapshot{f.Snapshot()}
	for snaps[len(snaps)-1].TakenAt.Before(time.Now().Add(-30 * time.Second)) {
		snaps = append(snaps, f.Step(10*time.Second))
	}
	for _, s := range snaps {
		h.RecordNow(context.Background(), s)
	}
	if h.Stats().Recorded != int64(len(snaps)) {
		t.Fatalf("prefill recorded %+v of %d", h.Stats(), len(snaps))
	}
	return snaps
}

// recordedAt is the snapshot a board at t shows: the last recorded at or before t.
func recordedAt(snaps []*snapshot.Snapshot, t time.Time) *snapshot.Snapshot {
	var got *snapshot.Snapshot
	for _, s := range snaps {
		if !s.TakenAt.After(t) {
			got = s
		}
	}
	return got
}

// boardWaitingJS reads each skill tile's headline figure (contacts waiting) by tile id.
const boardWaitingJS = `JSON.stringify(Object.fromEntries(Array.from(document.querySelectorAll('article.t-skill')).map(e => [e.id, (e.querySelector('.main .fv') || {textContent: ''}).textContent.trim()])))`

func checkBoardAt(t *testing.T, tb *tab, snap *snapshot.Snapshot, when string) {
	t.Helper()
	var got map[string]string
	if err := json.Unmarshal([]byte(evalJS[string](t, tb, boardWaitingJS)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(snap.Skills) {
		t.Errorf("%s: %d skill tiles, want the %d skills recorded then: %v", when, len(got), len(snap.Skills), got)
	}
	for _, sk := range snap.Skills {
		w, _ := sk.Queues[0].Waiting.Get()
		if id := views.SkillTileID(sk.Key); got[id] != strconv.FormatInt(w, 10) {
			t.Errorf("%s: %s waiting %q, want the recorded %d", when, sk.Name, got[id], w)
		}
	}
}

func TestBrowserTimeTravel(t *testing.T) {
	browser := newBrowser(t)
	dataDir := t.TempDir()
	snaps := prefillHistory(t, dataDir)
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 21, dataDir: dataDir})
	tb := newTab(t, browser, chromedp.WithNewBrowserContext())
	tb.login(t, app)

	// Ten minutes back: the stored snapshot's figures, a banner, no live channel.
	at := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Second)
	tb.open(t, app.Base+"/boards/demo?at="+url.QueryEscape(at.Format(time.RFC3339)))
	tb.waitJS(t, 15*time.Second, "the history banner", `!!document.querySelector('[data-testid="history-banner"]')`)
	if evalJS[bool](t, tb, `document.body.hasAttribute('ws-connect')`) {
		t.Error("the page of ten minutes ago is connected to the live channel")
	}
	checkBoardAt(t, tb, recordedAt(snaps, at), "ten minutes back")

	// The scrubber moves it: three minutes later, wherever the range snaps to.
	moved := evalJS[float64](t, tb, `(() => { const s = document.getElementById('scrubber'); s.value = String(Number(s.value) + 180000); const v = Number(s.value); s.dispatchEvent(new Event('change')); return v })()`)
	movedAt := time.UnixMilli(int64(moved)).UTC()
	tb.waitJS(t, 15*time.Second, "the board at the scrubber's moment",
		`new URLSearchParams(location.search).get('at') === `+strconv.Quote(movedAt.Format(time.RFC3339))+` && !!document.querySelector('[data-testid="history-banner"]')`)
	if movedAt.Sub(at) < 2*time.Minute {
		t.Fatalf("the scrubber moved from %v to %v; want about three minutes", at, movedAt)
	}
	checkBoardAt(t, tb, recordedAt(snaps, movedAt), "after the scrubber moved")

	// Live: back to the live board, which the WebSocket keeps current.
	tb.do(t, 15*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="history-live"]`)))
	tb.waitJS(t, 15*time.Second, "the live board", `location.search === '' && document.body.hasAttribute('ws-connect') && !document.querySelector('[data-testid="history-banner"]')`)
	tb.waitJS(t, 45*time.Second, "live figures", hasFiguresJS)
	first := evalJS[string](t, tb, `document.getElementById('srv-clock').getAttribute('data-now')`)
	tb.waitJS(t, 45*time.Second, "a live update over the WebSocket", `document.getElementById('srv-clock').getAttribute('data-now') !== `+strconv.Quote(first))
}
