package poller

import (
	"context"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func okSource(id string) *scriptSource {
	return &scriptSource{id: id, script: func(int) (snapshot.Part, error) { return okPart(1), nil }}
}

// TestPollerUpdateTouchesOnlyTheChangedSources: Update stops a changed source's old
// loop for good and starts its new configuration, drops a removed source from the
// snapshot, and leaves an unchanged source's loop running as it was.
func TestPollerUpdateTouchesOnlyTheChangedSources(t *testing.T) {
	t.Parallel()
	st := snapshot.NewStore()
	oldA, b, c := okSource("a"), okSource("b"), okSource("c")
	fast := func(s Source) SourceConfig {
		return SourceConfig{Source: s, Interval: 10 * time.Millisecond, Jitter: -1}
	}
	p := New(st, []SourceConfig{fast(oldA), fast(b), fast(c)}, nil, nil)
	if err := p.Update([]SourceConfig{fast(okSource("a"))}, nil); err == nil {
		t.Error("Update before Run succeeded")
	}
	startPoller(t, p)
	waitSnap(t, st, 10*time.Second, "every source polled", func(s *snapshot.Snapshot) bool {
		return !statusOf(s, "a").LastSuccess.IsZero() && !statusOf(s, "b").LastSuccess.IsZero() && !statusOf(s, "c").LastSuccess.IsZero()
	})
	if err := p.Update([]SourceConfig{fast(okSource("x")), fast(okSource("x"))}, nil); err == nil {
		t.Error("Update with an id used twice succeeded")
	}

	newA := okSource("a")
	if err := p.Update([]SourceConfig{fast(newA)}, []string{"b"}); err != nil {
		t.Fatal(err)
	}
	oldAttempts, cBefore := len(oldA.times()), len(c.times())
	waitSnap(t, st, 10*time.Second, "b gone and the new a polled", func(s *snapshot.Snapshot) bool {
		_, hasB := s.Source("b")
		return !hasB && len(newA.times()) > 0
	})
	deadline := time.Now().Add(10 * time.Second)
	for len(c.times()) <= cBefore+2 {
		if time.Now().After(deadline) {
			t.Fatal("the unchanged source c stopped polling after Update")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := len(oldA.times()); got != oldAttempts {
		t.Errorf("the replaced configuration of a polled %d more times after Update returned", got-oldAttempts)
	}
	if _, ok := st.Load().Source("a"); !ok {
		t.Error("the restarted source a has no status")
	}
}

// TestPollerUpdateAfterStop: once Run's context ended, Update refuses.
func TestPollerUpdateAfterStop(t *testing.T) {
	t.Parallel()
	p := New(snapshot.NewStore(), []SourceConfig{{Source: okSource("a")}}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := p.Update([]SourceConfig{{Source: okSource("b")}}, nil); err == nil {
		t.Error("Update after Run returned succeeded")
	}
}
