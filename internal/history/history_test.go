package history_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

// memStore is the simplest correct Store: the reference the contract suite checks
// itself against, and the base of the blocking and failing stores below.
type memStore struct {
	mu     sync.Mutex
	frames map[history.Tier]map[int64][]byte
}

func newMem(*testing.T) history.Store { return &memStore{frames: map[history.Tier]map[int64][]byte{}} }

func (m *memStore) Write(_ context.Context, es []history.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range es {
		if m.frames[e.Tier] == nil {
			m.frames[e.Tier] = map[int64][]byte{}
		}
		m.frames[e.Tier][e.At.UnixNano()] = slices.Clone(e.Data)
	}
	return nil
}

func (m *memStore) Range(ctx context.Context, tier history.Tier, from, to time.Time, fn func(time.Time, []byte) error) error {
	m.mu.Lock()
	var keys []int64
	for k := range m.frames[tier] {
		if k >= unixNano(from) && k < unixNano(to) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	data := make([][]byte, len(keys))
	for i, k := range keys {
		data[i] = m.frames[tier][k]
	}
	m.mu.Unlock()
	for i, k := range keys {
		if err := fn(time.Unix(0, k).UTC(), data[i]); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func unixNano(t time.Time) int64 {
	if t.Before(time.Unix(0, 0)) {
		return 0
	}
	return t.UnixNano()
}

func (m *memStore) Trim(_ context.Context, tier history.Tier, before time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.frames[tier] {
		if k < unixNano(before) {
			delete(m.frames[tier], k)
		}
	}
	return nil
}

func (m *memStore) Close() error { return nil }

func TestMemStoreContract(t *testing.T) { storetest.History(t, newMem) }

// blockingStore blocks every Write until release is closed.
type blockingStore struct {
	history.Store
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingStore) Write(ctx context.Context, es []history.Entry) error {
	b.once.Do(func() { close(b.entered) })
	<-b.release
	return b.Store.Write(ctx, es)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// A store that blocks must not hold up the publisher: Watch and Record hand over
// without waiting, a full queue drops and counts, and the live side (here: a
// reader of the snapshot store, as the live loop is) sees every snapshot at once.
func TestBlockingStoreNeverDelaysLive(t *testing.T) {
	bs := &blockingStore{Store: newMem(t), entered: make(chan struct{}), release: make(chan struct{})}
	h := history.New(bs, history.Config{Queue: 4, Log: quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := snapshot.NewStore()
	go h.Run(ctx)
	go h.Watch(ctx, st)

	f := storetest.NewFloor(3, 10, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 1)
	changed := st.Changed()
	st.Publish(f.Snapshot())
	<-changed
	select {
	case <-bs.entered:
	case <-time.After(30 * time.Second):
		t.Fatal("the recorder never reached the store")
	}
	// The store is now stuck inside Write. Publish a hundred snapshots: each one
	// must reach a live reader, which Publish wakes without anyone waiting on history.
	for i := range 100 {
		changed := st.Changed()
		sn := f.Step(10 * time.Second)
		st.Publish(sn)
		select {
		case <-changed:
		case <-time.After(30 * time.Second):
			t.Fatalf("publish %d never reached readers while the history store blocks", i)
		}
		if got := st.Load(); got.Version != sn.Version {
			t.Fatalf("live reader sees version %d, want %d", got.Version, sn.Version)
		}
	}
	// Watch takes only the latest snapshot each time it wakes, so how many it
	// offered depends on scheduling; but at most Queue fit, so drops are counted.
	deadline := time.Now().Add(30 * time.Second)
	for h.Stats().Dropped == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no drops counted with a blocked store and a full queue: %+v", h.Stats())
		}
		// Record directly: the queue is full and stays full while the store blocks.
		if h.Record(f.Step(10 * time.Second)) {
			continue
		}
	}
	close(bs.release)
	deadline = time.Now().Add(30 * time.Second)
	for h.Stats().Recorded < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("after release, recorded %+v", h.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

// failingStore fails every Write while failing is set.
type failingStore struct {
	history.Store
	mu      sync.Mutex
	failing bool
}

var errDiskFull = errors.New("no space left on device")

func (f *failingStore) Write(ctx context.Context, es []history.Entry) error {
	f.mu.Lock()
	bad := f.failing
	f.mu.Unlock()
	if bad {
		return errDiskFull
	}
	return f.Store.Write(ctx, es)
}

func (f *failingStore) set(b bool) { f.mu.Lock(); f.failing = b; f.mu.Unlock() }

// A full disk marks history unavailable and counts; once the disk has room again the
// next frame is a keyframe, so the board after the gap decodes exactly.
func TestFailingStoreRecovers(t *testing.T) {
	fs := &failingStore{Store: newMem(t)}
	h := history.New(fs, history.Config{Queue: 1000, Log: quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx)
	f := storetest.NewFloor(3, 10, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 1)
	wait := func(cond func(history.Stats) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond(h.Stats()) {
			if time.Now().After(deadline) {
				t.Fatalf("stats %+v", h.Stats())
			}
			time.Sleep(time.Millisecond)
		}
	}
	h.Record(f.Snapshot())
	h.Record(f.Step(10 * time.Second))
	wait(func(s history.Stats) bool { return s.Recorded == 2 })
	fs.set(true)
	h.Record(f.Step(10 * time.Second))
	wait(func(s history.Stats) bool { return s.Failures >= 1 })
	if h.Available() {
		t.Error("Available() = true after a failed write")
	}
	fs.set(false)
	var last *snapshot.Snapshot
	for range 3 {
		last = f.Step(10 * time.Second)
		h.Record(last)
	}
	wait(func(s history.Stats) bool { return s.Recorded == 5 })
	if !h.Available() {
		t.Error("Available() = false after writes succeed again")
	}
	got, err := h.At(ctx, last.TakenAt)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := storetest.Figures(t, got), storetest.Figures(t, last); g != w {
		t.Errorf("At after recovery:\n got %s\nwant %s", g, w)
	}
}

func TestSeriesBadQueries(t *testing.T) {
	h := history.New(newMem(t), history.Config{})
	m, _ := history.MetricNamed("waiting")
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for name, q := range map[string]history.Query{
		"no skill":      {Metric: m, From: t0, To: t0.Add(time.Hour), Step: time.Minute},
		"empty range":   {Skill: "s", Metric: m, From: t0, To: t0, Step: time.Minute},
		"tiny step":     {Skill: "s", Metric: m, From: t0, To: t0.Add(time.Hour), Step: time.Millisecond},
		"too many":      {Skill: "s", Metric: m, From: t0, To: t0.Add(30 * 24 * time.Hour), Step: time.Second},
		"metric absent": {Skill: "s", From: t0, To: t0.Add(time.Hour), Step: time.Minute},
	} {
		if _, err := h.Series(context.Background(), q); !errors.Is(err, history.ErrBadQuery) {
			t.Errorf("%s: err %v, want ErrBadQuery", name, err)
		}
	}
	if _, err := history.MetricNamed("nope"); !errors.Is(err, history.ErrBadQuery) {
		t.Errorf("MetricNamed(nope): %v", err)
	}
}

// TestActivityAtFromMinuteTier: agents' day activity is kept in the minute tier only,
// so the board as it was at a moment of the last 24 h shows the activity of the last
// minute closed by then (none before the first minute closed), its figures exact.
func TestActivityAtFromMinuteTier(t *testing.T) {
	h := history.New(newMem(t), history.Config{})
	f := storetest.NewFloor(3, 10, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 1)
	ctx := context.Background()
	snaps := []*snapshot.Snapshot{f.Snapshot()}
	h.RecordNow(ctx, snaps[0])
	for range 30 {
		snaps = append(snaps, f.Step(10*time.Second))
		h.RecordNow(ctx, snaps[len(snaps)-1])
	}
	for _, i := range []int{3, 6, 7, 20, 29} {
		at := snaps[i].TakenAt.Add(3 * time.Second)
		got, err := h.At(ctx, at)
		if err != nil {
			t.Fatalf("At(snapshot %d + 3s): %v", i, err)
		}
		if g, w := storetest.Figures(t, got), storetest.Figures(t, snaps[i]); g != w {
			t.Errorf("At(snapshot %d + 3s) figures:\n got %s\nwant %s", i, g, w)
		}
		var closed *snapshot.Snapshot // the last snapshot of the last minute closed by at
		for _, s := range snaps {
			if s.TakenAt.Before(at.Truncate(time.Minute)) {
				closed = s
			}
		}
		withActivity := 0
		for j, a := range got.Agents {
			var want *snapshot.Activity
			if closed != nil {
				want = closed.Agents[j].Activity
			}
			if (a.Activity == nil) != (want == nil) || want != nil && !sameActivity(*a.Activity, *want) {
				t.Errorf("At(snapshot %d + 3s) agent %s activity = %+v, want %+v", i, a.Key, a.Activity, want)
			}
			if a.Activity != nil {
				withActivity++
			}
		}
		if closed != nil && withActivity == 0 {
			t.Errorf("At(snapshot %d + 3s): no agent has day activity", i)
		}
	}
}

// sameActivity compares what history keeps of a day's activity (not per away reason).
func sameActivity(a, b snapshot.Activity) bool {
	return a.Since.Equal(b.Since) && a.LoggedIn == b.LoggedIn && a.Online == b.Online &&
		a.BackSoon == b.BackSoon && a.Away == b.Away && a.Chatting == b.Chatting
}
