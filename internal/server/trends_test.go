package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// brokenStore is a history store on a dead disk while broken is set: writes and
// reads fail.
type brokenStore struct {
	history.Store
	broken atomic.Bool
}

var errDeadDisk = errors.New("input/output error")

func (b *brokenStore) Write(ctx context.Context, es []history.Entry) error {
	if b.broken.Load() {
		return errDeadDisk
	}
	return b.Store.Write(ctx, es)
}

func (b *brokenStore) Range(ctx context.Context, t history.Tier, from, to time.Time, fn func(time.Time, []byte) error) error {
	if b.broken.Load() {
		return errDeadDisk
	}
	return b.Store.Range(ctx, t, from, to, fn)
}

// TestHistoryUnavailableIsShown: with the history store failing, the sparklines,
// the drill-down's day chart and time travel say "history unavailable" instead of
// drawing blanks, and live diffs carry on; when the store heals, sparklines return.
func TestHistoryUnavailableIsShown(t *testing.T) {
	t.Parallel()
	disk, err := bolt.OpenHistory(filepath.Join(t.TempDir(), bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { disk.Close() })
	bs := &brokenStore{Store: disk}
	bs.broken.Store(true)
	h := history.New(bs, history.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e := newHistoryLiveEnv(t, h)
	st, ts := e.store, e.ts
	waitFor(t, func() bool { return h.Stats().Failures > 0 })
	st.Publish(liveSnap(2, 3)) // a snapshot after the failure: its trends know

	rctx, rcancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer rcancel()
	c, full := e.dial(t, rctx)
	defer c.CloseNow()
	if !strings.Contains(full, `id="trend-tile-queue"`) || !strings.Contains(full, "History unavailable") {
		t.Fatalf("the wall's tiles do not say history is unavailable: %.400s", full)
	}
	for i := range 5 {
		waiting := int64(20 + i)
		st.Publish(liveSnap(uint64(3+i), waiting))
		readUntil(t, rctx, c, ">"+itoa(int(waiting))+"<") // fails the test if no diff comes
	}
	for path, want := range map[string]string{
		"/boards/demo":                 "History unavailable",
		"/boards/demo?skill=comm100:a": "History unavailable: the chart of the day cannot be read right now",
	} {
		code, body := get(t, ts.URL+path)
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 200 saying %q: %.300s", path, code, want, body)
		}
	}
	code, body := get(t, ts.URL+"/boards/demo?at="+url.QueryEscape(time.Now().Add(-5*time.Minute).UTC().Format(time.RFC3339)))
	if code < 500 || !strings.Contains(body, "history is unavailable") {
		t.Errorf("time travel on a dead store: %d %.300s", code, body)
	}

	bs.broken.Store(false)
	healed := func(v uint64) *snapshot.Snapshot { // a minute on: the 10:00 minute closes
		s := liveSnap(v, 4)
		s.TakenAt = s.TakenAt.Add(time.Minute)
		return s
	}
	st.Publish(healed(20))
	waitFor(t, func() bool { return h.Available() })
	st.Publish(healed(21))
	readUntil(t, rctx, c, `id="trend-tile-queue" class="trend" data-testid="trend">`) // sparklines are back
}

var pathPoint = regexp.MustCompile(`[ML](\d+) ([0-9.]+)`)

// A page of the past shows the sparklines as they were: the hour before its moment.
func TestTimeTravelSparklines(t *testing.T) {
	_, _, doc := timeTravelPage(t, historyT0.Add(5*time.Minute+30*time.Second))
	// Support waited 10, 11, … in the minutes from historyT0: the five minutes
	// before 5:30 are 10…14, drawn at x = 55…59 on a scale topped at 14.
	svg := doc.Find("#trend-tile-skill-comm100_3ab .spk-waiting svg")
	if svg.AttrOr("data-top", "") != "14" {
		t.Fatalf("scale %q, want 14", svg.AttrOr("data-top", ""))
	}
	pts := pathPoint.FindAllStringSubmatch(svg.Find("path").AttrOr("d", ""), -1)
	if len(pts) != 5 {
		t.Fatalf("points %q, want the 5 minutes before the moment", svg.Find("path").AttrOr("d", ""))
	}
	for k, p := range pts {
		x, _ := strconv.Atoi(p[1])
		y, _ := strconv.ParseFloat(p[2], 64)
		if got, want := 14*(20-y)/20, float64(10+k); x != 55+k || got < want-0.01 || got > want+0.01 {
			t.Errorf("point %d: x %d value %.2f, want x %d value %.0f", k, x, got, 55+k, want)
		}
	}
}

// The sparklines' history is built once per snapshot and shared: every variant,
// page and diff of one version gets the very same Trends, never one per client.
func TestTrendsBuiltOncePerSnapshot(t *testing.T) {
	t.Parallel()
	h := recordedHistory(t)
	ts := &trendSource{h: h}
	s1, s2 := liveSnap(1, 2), liveSnap(2, 3)
	a := ts.live(s1)
	if a == nil || ts.live(s1) != a {
		t.Fatal("a second ask for the same snapshot built new trends")
	}
	if b := ts.live(s2); b == a || b == nil {
		t.Error("a new snapshot kept the old trends")
	}
	if (&trendSource{}).live(s1) != nil {
		t.Error("trends without history")
	}
}
