package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// History runs the contract every history.Store must pass. newStore returns an empty
// store; the suite closes it.
func History(t *testing.T, newStore func(t *testing.T) history.Store) {
	open := func(t *testing.T) history.Store {
		t.Helper()
		s := newStore(t)
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	t.Run("write and range", func(t *testing.T) { testWriteRange(t, open(t)) })
	t.Run("trim", func(t *testing.T) { testTrim(t, open(t)) })
	t.Run("snapshots round-trip", func(t *testing.T) { testRoundTrip(t, open(t)) })
	t.Run("downsampling and retention", func(t *testing.T) { testDownsampling(t, open(t)) })
}

var t0 = time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)

func frames(t *testing.T, s history.Store, tier history.Tier, from, to time.Time) (ats []time.Time, data []string) {
	t.Helper()
	err := s.Range(context.Background(), tier, from, to, func(at time.Time, d []byte) error {
		ats, data = append(ats, at), append(data, string(d))
		return nil
	})
	if err != nil {
		t.Fatalf("Range: %v", err)
	}
	return ats, data
}

func testWriteRange(t *testing.T, s history.Store) {
	ctx := context.Background()
	buf := []byte("b")
	err := s.Write(ctx, []history.Entry{
		{Tier: history.Raw, At: t0.Add(2 * time.Second), Data: []byte("c")},
		{Tier: history.Raw, At: t0, Data: []byte("a")},
		{Tier: history.Raw, At: t0.Add(time.Second), Data: buf},
		{Tier: history.Minute, At: t0, Data: []byte("m")},
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	buf[0] = 'X' // the store must have copied what it keeps
	ats, data := frames(t, s, history.Raw, t0, t0.Add(2*time.Second))
	if len(ats) != 2 || !ats[0].Equal(t0) || !ats[1].Equal(t0.Add(time.Second)) || data[0] != "a" || data[1] != "b" {
		t.Errorf("Range [t0, t0+2s) = %v %q, want t0 a, t0+1s b (from inclusive, to exclusive, oldest first)", ats, data)
	}
	if _, m := frames(t, s, history.Minute, t0, t0.Add(time.Hour)); len(m) != 1 || m[0] != "m" {
		t.Errorf("Minute tier = %q, want [m]: tiers are separate", m)
	}
	if err := s.Write(ctx, []history.Entry{{Tier: history.Raw, At: t0, Data: []byte("A")}}); err != nil {
		t.Fatal(err)
	}
	if _, d := frames(t, s, history.Raw, t0, t0.Add(time.Nanosecond)); len(d) != 1 || d[0] != "A" {
		t.Errorf("after rewriting t0: %q, want [A]", d)
	}
	stop := errors.New("stop")
	n := 0
	err = s.Range(ctx, history.Raw, t0, t0.Add(time.Hour), func(time.Time, []byte) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Range with fn error: err %v after %d calls, want stop after 1", err, n)
	}
}

func testTrim(t *testing.T, s history.Store) {
	ctx := context.Background()
	var es []history.Entry
	for i := range 10 {
		es = append(es, history.Entry{Tier: history.Events, At: t0.Add(time.Duration(i) * time.Minute), Data: []byte{byte(i)}})
	}
	es = append(es, history.Entry{Tier: history.Raw, At: t0, Data: []byte("raw")})
	if err := s.Write(ctx, es); err != nil {
		t.Fatal(err)
	}
	if err := s.Trim(ctx, history.Events, t0.Add(4*time.Minute)); err != nil {
		t.Fatalf("Trim: %v", err)
	}
	ats, _ := frames(t, s, history.Events, time.Time{}, t0.Add(time.Hour))
	if len(ats) != 6 || !ats[0].Equal(t0.Add(4*time.Minute)) {
		t.Errorf("after Trim(t0+4m): %d frames from %v, want 6 from t0+4m (strictly older ones go)", len(ats), ats)
	}
	if _, d := frames(t, s, history.Raw, time.Time{}, t0.Add(time.Hour)); len(d) != 1 {
		t.Errorf("Trim of events touched raw: %q", d)
	}
}

// record writes snaps through a History on s and waits until all are written.
func record(t *testing.T, s history.Store, cfg history.Config, snaps []*snapshot.Snapshot) *history.History {
	t.Helper()
	cfg.Queue = len(snaps)
	h := history.New(s, cfg)
	for _, sn := range snaps {
		if !h.Record(sn) {
			t.Fatal("Record dropped a snapshot with room in the queue")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(2 * time.Minute)
	for h.Stats().Recorded < int64(len(snaps)) {
		if time.Now().After(deadline) {
			t.Fatalf("recorded %d of %d snapshots (failures %d)", h.Stats().Recorded, len(snaps), h.Stats().Failures)
		}
		time.Sleep(time.Millisecond)
	}
	return h
}

func day(skills, agents int, d time.Duration) []*snapshot.Snapshot {
	f := NewFloor(skills, agents, t0, 7)
	out := []*snapshot.Snapshot{f.Snapshot()}
	for range int(d / (10 * time.Second)) {
		out = append(out, f.Step(10*time.Second))
	}
	return out
}

// JSON compares snapshots as the API shows them.
func JSON(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Figures is JSON without the agents' day activity: History.At answers every figure of
// the last 24 h exactly, the activity from the minute tier (a minute behind at most).
func Figures(t *testing.T, s *snapshot.Snapshot) string {
	t.Helper()
	c := *s
	c.Agents = slices.Clone(s.Agents)
	for i := range c.Agents {
		c.Agents[i].Activity = nil
	}
	return JSON(t, &c)
}

func testRoundTrip(t *testing.T, s history.Store) {
	snaps := day(6, 30, time.Hour)
	h := record(t, s, history.Config{}, snaps)
	ctx := context.Background()
	for _, i := range []int{0, 1, 59, 60, 61, 200, len(snaps) - 1} {
		want := snaps[i]
		got, err := h.At(ctx, want.TakenAt.Add(3*time.Second))
		if err != nil {
			t.Fatalf("At(snapshot %d + 3s): %v", i, err)
		}
		if g, w := Figures(t, got), Figures(t, want); g != w {
			t.Errorf("At(snapshot %d + 3s):\n got %s\nwant %s", i, g, w)
		}
	}
	if _, err := h.At(ctx, t0.Add(-time.Hour)); !errors.Is(err, history.ErrNotFound) {
		t.Errorf("At before recording: %v, want ErrNotFound", err)
	}
	agent := snaps[0].Agents[3].Key
	var want []history.Change
	prev := snapshot.Agent{}
	for _, sn := range snaps {
		for _, a := range sn.Agents {
			if a.Key == agent && (a.State != prev.State || a.Reason != prev.Reason) {
				want = append(want, history.Change{At: sn.TakenAt, Agent: agent, State: a.State, Reason: a.Reason, Since: a.Since})
				prev = a
			}
		}
	}
	got, err := h.Timeline(ctx, agent, t0, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w || len(want) < 2 {
		t.Errorf("Timeline(%s):\n got %s\nwant %s", agent, g, w)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
