package poller

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// StateMark is when ccdash saw an agent enter its current state, for vendors that do
// not say (Comm100). Seen is the last poll that found the agent still in State.
type StateMark struct {
	State   snapshot.AgentState `json:"state"`
	Since   time.Time           `json:"since"`
	AtLeast bool                `json:"at_least,omitempty"`
	Seen    time.Time           `json:"seen"`
}

// StateSinceStore keeps the marks across restarts (internal/bolt implements it in
// data_dir). Marks are grouped by source: one poll replaces its source's marks.
type StateSinceStore interface {
	// Load returns every saved mark: source → agent key → mark.
	Load(ctx context.Context) (map[string]map[string]StateMark, error)
	// Save replaces source's saved marks with marks (empty removes them all).
	Save(ctx context.Context, source string, marks map[string]StateMark) error
}

// stateGap is how long an agent may go unseen (failing polls, a stopped server) with
// its mark still trusted: over a longer gap the state may have changed and changed
// back, so the time restarts from the next sighting as "at least".
const stateGap = 5 * time.Minute

// stateSaveEvery bounds writes while nothing changes: marks are saved when a state
// changes, and otherwise at most this often (to keep Seen fresh within stateGap).
const stateSaveEvery = time.Minute

// stateTracker times state changes from consecutive polls. It is owned by the Poller
// and used under Poller.mu.
type stateTracker struct {
	marks map[string]map[string]StateMark // source → agent key → mark
	saved map[string]time.Time            // source → last save handed to the saver
}

func newStateTracker(loaded map[string]map[string]StateMark) *stateTracker {
	if loaded == nil {
		loaded = map[string]map[string]StateMark{}
	}
	return &stateTracker{marks: loaded, saved: map[string]time.Time{}}
}

// apply sets Since (and SinceAtLeast) on every agent of source whose vendor gave no
// state-since time, from the marks of earlier polls, and reports whether the marks
// should be saved now. Agents no longer listed lose their mark.
func (t *stateTracker) apply(source string, agents []snapshot.Agent, now time.Time) (save bool) {
	prev := t.marks[source]
	next := make(map[string]StateMark, len(agents))
	changed := false
	for i := range agents {
		a := &agents[i]
		if !a.Since.IsZero() {
			continue // the vendor says; nothing to time
		}
		m, ok := prev[a.Key]
		switch {
		case !ok || now.Sub(m.Seen) > stateGap:
			// First sighting (or the last one is too old to vouch for the time in
			// between): the state began at the latest now.
			m = StateMark{State: a.State, Since: now, AtLeast: true}
			changed = true
		case m.State != a.State:
			// Changed since the last poll: it began between that poll and this one.
			m = StateMark{State: a.State, Since: now}
			changed = true
		}
		m.Seen = now
		next[a.Key] = m
		a.Since, a.SinceAtLeast = m.Since, m.AtLeast
	}
	if len(next) != len(prev) {
		changed = true
	}
	t.marks[source] = next
	if changed || now.Sub(t.saved[source]) >= stateSaveEvery {
		t.saved[source] = now
		return true
	}
	return false
}

// snapshotOf is a copy of source's marks, for the saver.
func (t *stateTracker) snapshotOf(source string) map[string]StateMark {
	return maps.Clone(t.marks[source])
}

// stateSaver writes marks beside the poll loop: the newest marks per source wait in
// pending, one goroutine writes them, and a poll never waits for the disk.
type stateSaver struct {
	store StateSinceStore
	wake  chan struct{} // capacity 1: "pending has something"
	done  chan struct{} // closed when run has returned

	mu      sync.Mutex
	pending map[string]map[string]StateMark
}

func newStateSaver(store StateSinceStore) *stateSaver {
	return &stateSaver{store: store, wake: make(chan struct{}, 1), done: make(chan struct{}), pending: map[string]map[string]StateMark{}}
}

// start runs the saver until ctx is done; stop waits for its last write.
func (s *stateSaver) start(ctx context.Context, onErr func(error)) {
	go func() {
		defer close(s.done)
		s.run(ctx, onErr)
	}()
}

func (s *stateSaver) stop() { <-s.done }

// offer queues marks for source, replacing any not yet written (only the newest
// matter). It never blocks.
func (s *stateSaver) offer(source string, marks map[string]StateMark) {
	s.mu.Lock()
	s.pending[source] = marks
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run writes pending marks until ctx is done, then writes what is left once more
// (a graceful restart keeps the latest times). Writes are local and short, so they
// run detached from ctx's cancellation, each bounded by its own timeout: a write
// begun as the poller stops must not be lost to the stop.
func (s *stateSaver) run(ctx context.Context, onErr func(error)) {
	wctx := context.WithoutCancel(ctx)
	for {
		select {
		case <-s.wake:
			s.flush(wctx, onErr)
		case <-ctx.Done():
			s.flush(wctx, onErr)
			return
		}
	}
}

func (s *stateSaver) flush(ctx context.Context, onErr func(error)) {
	s.mu.Lock()
	batch := s.pending
	s.pending = map[string]map[string]StateMark{}
	s.mu.Unlock()
	for src, marks := range batch {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if err := s.store.Save(sctx, src, marks); err != nil {
			onErr(err)
		}
		cancel()
	}
}
