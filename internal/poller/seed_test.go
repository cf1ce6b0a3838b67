package poller

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestWithSeedCarriesOn: a replica taking over from another's snapshot publishes that
// snapshot's figures and statuses first (never "waiting for first poll"), with the
// cluster-link marking cleared, and versions go on from the seed.
func TestWithSeedCarriesOn(t *testing.T) {
	t.Parallel()
	polled := make(chan struct{})
	src := &scriptSource{id: "s", script: func(n int) (snapshot.Part, error) {
		if n == 0 {
			<-polled // hold the first poll until the seeded snapshot was checked
		}
		return okPart(9), nil
	}}
	seedAt := time.Now().Add(-5 * time.Second)
	part := okPart(4)
	part.Source = "s"
	seed := snapshot.Merge(&snapshot.Snapshot{Version: 41}, []snapshot.Part{part}, []snapshot.SourceStatus{{
		ID: "s", Kind: "script", LastSuccess: seedAt, ConsecutiveFailures: 1,
		LastError: &snapshot.SourceError{Kind: snapshot.ErrClusterLink, Text: "cluster link down"},
	}}, seedAt)
	st := snapshot.NewStore()
	st.Publish(seed)
	startPoller(t, New(st, []SourceConfig{{Source: src, Interval: time.Hour}}, nil, nil).WithSeed(seed))

	first := waitSnap(t, st, 10*time.Second, "the seeded publication", func(s *snapshot.Snapshot) bool { return s.Version > seed.Version })
	if first.Version != 43 {
		t.Errorf("first version = %d, want 43 (seed 42 + 1)", first.Version)
	}
	if w, _ := first.Skills[0].Queues[0].Waiting.Get(); len(first.Skills) != 1 || w != 4 {
		t.Errorf("first publication lost the seeded figures: %+v", first.Skills)
	}
	s := statusOf(first, "s")
	if !s.LastSuccess.Equal(seedAt) || s.Failing() || s.LastError != nil {
		t.Errorf("seeded status = %+v; want last success kept and the cluster-link failure cleared", s)
	}
	close(polled)
	waitSnap(t, st, 10*time.Second, "the first poll", func(s *snapshot.Snapshot) bool {
		w, _ := s.Skills[0].Queues[0].Waiting.Get()
		return w == 9
	})
}
