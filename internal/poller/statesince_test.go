package poller

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestStateTracker(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	vendorSince := t0.Add(-time.Hour)
	agents := func(state snapshot.AgentState, withVendor bool) []snapshot.Agent {
		as := []snapshot.Agent{{Key: "c:1", State: state}}
		if withVendor {
			as = append(as, snapshot.Agent{Key: "c:2", State: snapshot.Busy, Since: vendorSince})
		}
		return as
	}
	tr := newStateTracker(nil)
	steps := []struct {
		name      string
		at        time.Duration
		state     snapshot.AgentState
		wantSince time.Duration
		atLeast   bool
		save      bool
	}{
		{"first sighting is a lower bound", 0, snapshot.Available, 0, true, true},
		{"same state keeps its start", 10 * time.Second, snapshot.Available, 0, true, false},
		{"a change starts at the poll that sees it", 20 * time.Second, snapshot.Away, 20 * time.Second, false, true},
		{"unchanged again", 30 * time.Second, snapshot.Away, 20 * time.Second, false, false},
		{"saved once a minute while unchanged", 81 * time.Second, snapshot.Away, 20 * time.Second, false, true},
		{"after a long gap the time restarts as a lower bound", 81*time.Second + stateGap + time.Second, snapshot.Away, 81*time.Second + stateGap + time.Second, true, true},
	}
	for _, st := range steps {
		as := agents(st.state, true)
		save := tr.apply("c", as, t0.Add(st.at))
		if got := as[0].Since.Sub(t0); got != st.wantSince || as[0].SinceAtLeast != st.atLeast || save != st.save {
			t.Errorf("%s: since t0+%v at least %v save %v; want t0+%v, %v, %v", st.name, got, as[0].SinceAtLeast, save, st.wantSince, st.atLeast, st.save)
		}
		if !as[1].Since.Equal(vendorSince) || as[1].SinceAtLeast {
			t.Errorf("%s: the vendor's own since was changed to %v (at least %v)", st.name, as[1].Since, as[1].SinceAtLeast)
		}
	}
	if n := len(tr.snapshotOf("c")); n != 1 {
		t.Errorf("marks kept = %d, want 1 (agents with a vendor time are not tracked)", n)
	}
	if !tr.apply("c", nil, t0.Add(time.Hour)) || len(tr.snapshotOf("c")) != 0 {
		t.Error("an agent no longer listed keeps its mark (or the removal is not saved)")
	}
}
