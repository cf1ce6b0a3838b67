package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// StateSince runs the poller.StateSinceStore contract. open returns the store kept in
// dir; a second open of the same dir (after the first is closed by reopen) must see
// what the first saved, as a restarted server would.
func StateSince(t *testing.T, open func(t *testing.T, dir string) (store poller.StateSinceStore, closeFn func())) {
	t.Run("EmptyAtFirst", func(t *testing.T) {
		s, done := open(t, t.TempDir())
		defer done()
		got, err := s.Load(t.Context())
		if err != nil || len(got) != 0 {
			t.Errorf("Load on a new store = %v, %v; want empty, nil", got, err)
		}
	})
	t.Run("SaveReplacesAndSurvivesReopen", func(t *testing.T) { stateSinceReopen(t, open) })
	t.Run("CanceledContext", func(t *testing.T) {
		s, done := open(t, t.TempDir())
		defer done()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := s.Save(ctx, "comm100", nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Save with canceled ctx = %v, want context.Canceled", err)
		}
		if _, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Load with canceled ctx = %v, want context.Canceled", err)
		}
	})
}

func stateSinceReopen(t *testing.T, open func(t *testing.T, dir string) (poller.StateSinceStore, func())) {
	ctx := t.Context()
	dir := t.TempDir()
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	ava := poller.StateMark{State: snapshot.Away, Since: t0, AtLeast: true, Seen: t0.Add(time.Minute)}
	ben := poller.StateMark{State: snapshot.Busy, Since: t0.Add(30 * time.Second), Seen: t0.Add(time.Minute)}
	lp := poller.StateMark{State: snapshot.Available, Since: t0, Seen: t0}

	s, done := open(t, dir)
	for _, step := range []struct {
		src   string
		marks map[string]poller.StateMark
	}{
		{"comm100", map[string]poller.StateMark{"comm100:1": ava, "comm100:2": ben, "comm100:3": ben}},
		{"other", map[string]poller.StateMark{"other:9": lp}},
		{"comm100", map[string]poller.StateMark{"comm100:1": ava, "comm100:2": ben}}, // agent 3 left
		{"gone", map[string]poller.StateMark{"gone:1": lp}},
		{"gone", nil}, // an empty save removes the source's marks
	} {
		if err := s.Save(ctx, step.src, step.marks); err != nil {
			t.Fatalf("Save(%s): %v", step.src, err)
		}
	}
	done()

	s, done = open(t, dir)
	defer done()
	got, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]poller.StateMark{
		"comm100": {"comm100:1": ava, "comm100:2": ben},
		"other":   {"other:9": lp},
	}
	if len(got) != len(want) || len(got["gone"]) != 0 {
		t.Errorf("sources after reopen = %v, want comm100 and other only", got)
	}
	for src, marks := range want {
		if len(got[src]) != len(marks) {
			t.Errorf("%s: %d marks after reopen, want %d: %v", src, len(got[src]), len(marks), got[src])
		}
		for k, m := range marks {
			g := got[src][k]
			if g.State != m.State || !g.Since.Equal(m.Since) || g.AtLeast != m.AtLeast || !g.Seen.Equal(m.Seen) {
				t.Errorf("%s %s after reopen = %+v, want %+v", src, k, g, m)
			}
		}
	}
}
