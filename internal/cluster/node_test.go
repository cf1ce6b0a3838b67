package cluster

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// wait is how long a test waits for an event on a loaded machine; never a measure.
const wait = 30 * time.Second

// replica is one Node in a test, with a fake poller that publishes every 20 ms.
type replica struct {
	id     int
	node   *Node
	store  *snapshot.Store
	cancel context.CancelFunc
	done   chan struct{}
}

// fleet counts the replicas' pollers and their polls. A poll is what GuardTransport
// lets through: only while the replica's Leading() holds, as for a vendor request.
type fleet struct {
	running       atomic.Int32 // poller goroutines
	polling, most atomic.Int32 // polls in flight now, and the most ever at once
	polls         atomic.Int64
	kicks         sync.Map // replica id → []string
}

// poll is one guarded vendor poll of 2 ms.
func (f *fleet) poll(leading func() bool) {
	if !leading() {
		return
	}
	now := f.polling.Add(1)
	defer f.polling.Add(-1)
	for m := f.most.Load(); now > m && !f.most.CompareAndSwap(m, now); m = f.most.Load() {
	}
	f.polls.Add(1)
	time.Sleep(2 * time.Millisecond)
}

func (f *fleet) lead(id int, leading func() bool) func(ctx context.Context, out *snapshot.Store) error {
	return func(ctx context.Context, out *snapshot.Store) error {
		f.running.Add(1)
		defer f.running.Add(-1)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			f.poll(leading)
			st := snapshot.SourceStatus{ID: "sim", Kind: "sim", LastSuccess: time.Now()}
			part := snapshot.Part{Source: "sim", Skills: []snapshot.Skill{{Key: "sim:1", ID: "1", Source: "sim", Name: fmt.Sprintf("by %d", id)}}}
			out.Publish(snapshot.Merge(out.Load(), []snapshot.Part{part}, []snapshot.SourceStatus{st}, time.Now()))
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	}
}

func newClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	c, err := NewClient(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (f *fleet) start(t *testing.T, id int, url string, ttl time.Duration) *replica {
	t.Helper()
	r := &replica{id: id, store: snapshot.NewStore(), done: make(chan struct{})}
	n, err := New(Options{Client: newClient(t, url), Name: t.Name(), TTL: ttl, Heartbeat: 100 * time.Millisecond, Store: r.store,
		Lead: f.lead(id, func() bool { return r.node.Leading() }), Kick: func(key, reason string) { f.kicks.Store(id, key+" "+reason) }})
	if err != nil {
		t.Fatal(err)
	}
	r.node = n
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { defer close(r.done); n.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

func (r *replica) stop() {
	r.cancel()
	<-r.done
}

// waitStore waits until cond holds for r's shown snapshot.
func waitStore(t *testing.T, r *replica, what string, cond func(*snapshot.Snapshot) bool) *snapshot.Snapshot {
	t.Helper()
	deadline := time.After(wait)
	for {
		ch := r.store.Changed()
		if s := r.store.Load(); s != nil && cond(s) {
			return s
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("replica %d: timed out waiting for %s (shows %+v)", r.id, what, r.store.Load())
		}
	}
}

func leaders(rs []*replica) (n int, who *replica) {
	for _, r := range rs {
		if r.node.Leading() {
			n, who = n+1, r
		}
	}
	return n, who
}

func waitLeader(t *testing.T, rs []*replica) *replica {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if n, who := leaders(rs); n == 1 {
			return who
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no single leader elected")
	return nil
}

// TestOneLeaderFollowersFollow: three replicas elect one leader, only it polls, and
// every follower shows the leader's snapshots with its term; when the leader stops,
// another takes over with a higher term and carries the figures on.
func TestOneLeaderFollowersFollow(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t).URL()
	f := &fleet{}
	rs := []*replica{f.start(t, 0, url, time.Second), f.start(t, 1, url, time.Second), f.start(t, 2, url, time.Second)}
	lead := waitLeader(t, rs)
	ls := waitStore(t, lead, "the leader's own snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil && s.Replica.Role == snapshot.RoleLeader })
	term := ls.Replica.Term
	for _, r := range rs {
		if r == lead {
			continue
		}
		s := waitStore(t, r, "a snapshot from the leader", func(s *snapshot.Snapshot) bool {
			return s.Replica != nil && s.Replica.Role == snapshot.RoleFollower && s.Replica.Term == term && s.Version >= ls.Version
		})
		if got := s.Skills[0].Name; got != fmt.Sprintf("by %d", lead.id) {
			t.Errorf("replica %d shows %q, want the leader's", r.id, got)
		}
	}
	lead.stop()
	var rest []*replica
	for _, r := range rs {
		if r != lead {
			rest = append(rest, r)
		}
	}
	next := waitLeader(t, rest)
	ns := waitStore(t, next, "the new leader's snapshot", func(s *snapshot.Snapshot) bool { return s.Replica.Role == snapshot.RoleLeader })
	if ns.Replica.Term <= term {
		t.Errorf("new term %d, want above %d", ns.Replica.Term, term)
	}
	if ns.Version <= ls.Version {
		t.Errorf("new leader's version %d went back from %d", ns.Version, ls.Version)
	}
	if m := f.most.Load(); m != 1 {
		t.Errorf("at most %d replicas polled at once, want 1", m)
	}
}

// TestTermNeverGoesBack: a term counter rolled back (a Sentinel failover lost the INCR)
// still gives the next leader a term above every term the replicas have seen.
func TestTermNeverGoesBack(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t).URL()
	c := newClient(t, url)
	f := &fleet{}
	a := f.start(t, 0, url, time.Second)
	waitStore(t, a, "a leader snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil })
	b := f.start(t, 1, url, time.Second)
	first := waitStore(t, b, "a followed snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil && s.Replica.Role == snapshot.RoleFollower })
	if err := c.Set(t.Context(), keysFor(t.Name()).term, 0, 0).Err(); err != nil { // the rollback
		t.Fatal(err)
	}
	a.stop()
	s := waitStore(t, b, "b leading", func(s *snapshot.Snapshot) bool { return s.Replica.Role == snapshot.RoleLeader })
	if s.Replica.Term <= first.Replica.Term {
		t.Errorf("term after rollback = %d, want above %d", s.Replica.Term, first.Replica.Term)
	}
}
