package snapshot

import (
	"sync"
	"sync/atomic"
)

// Store holds the current Snapshot and tells readers when it changes. It lives in
// the domain package because every side uses it — the poller (or a replica's Redis
// follower) publishes, the live loop and the JSON API read — and it needs nothing but
// the standard library. Readers never block writers: Load is one atomic read.
type Store struct {
	cur atomic.Pointer[Snapshot]

	mu      sync.Mutex
	changed chan struct{}
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{changed: make(chan struct{})} }

// Load returns the current snapshot, or nil before the first Publish.
func (s *Store) Load() *Snapshot { return s.cur.Load() }

// Publish makes snap current and wakes every waiter. snap must not be modified after.
func (s *Store) Publish(snap *Snapshot) {
	s.cur.Store(snap)
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// Changed returns a channel that is closed at the next Publish. Take the channel
// before Load to never miss a change:
//
//	ch := st.Changed(); snap := st.Load(); ... <-ch
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}
