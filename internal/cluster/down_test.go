package cluster

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/snapshot"
)

func linkDown(s *snapshot.Snapshot) bool {
	if s.Replica == nil || !s.Replica.LinkDown || len(s.Sources) == 0 {
		return false
	}
	for _, st := range s.Sources {
		if !st.Failing() || st.LastError == nil || st.LastError.Kind != snapshot.ErrClusterLink || st.LastError.Text != LinkDownReason {
			return false
		}
	}
	return true
}

// TestRedisDownAndBack: with Redis gone every replica keeps its board marked "cluster
// link down", the leader stops polling by its own deadline, nobody polls; when Redis
// comes back (empty) a leader is elected again and every replica recovers by itself.
func TestRedisDownAndBack(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	f := &fleet{}
	rs := []*replica{f.start(t, 0, srv.URL(), time.Second), f.start(t, 1, srv.URL(), time.Second)}
	lead := waitLeader(t, rs)
	for _, r := range rs {
		waitStore(t, r, "a snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil && len(s.Skills) == 1 })
	}
	srv.Kill()
	// The leader may poll until its own deadline (under the TTL), never after.
	deadline := time.Now().Add(wait)
	for f.running.Load() != 0 || lead.node.Leading() {
		if time.Now().After(deadline) {
			t.Fatal("the leader kept polling without Redis")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, r := range rs {
		s := waitStore(t, r, "the link-down marking", linkDown)
		if len(s.Skills) != 1 {
			t.Errorf("replica %d dropped its figures while the link is down: %+v", r.id, s.Skills)
		}
	}
	polls := f.polls.Load()
	time.Sleep(300 * time.Millisecond) // several poll intervals of the fake poller
	if got := f.polls.Load(); got != polls {
		t.Errorf("polls went from %d to %d while Redis was down", polls, got)
	}
	srv.Restart()
	for _, r := range rs {
		waitStore(t, r, "recovery", func(s *snapshot.Snapshot) bool { return !s.Replica.LinkDown && !s.Sources[0].Failing() })
	}
	waitLeader(t, rs)
}

// TestLatePublicationDropped: a deposed leader's publication (an older term) reaches
// nobody: Redis refuses it without the lease, and a follower drops it even when it
// arrives on the channel.
func TestLatePublicationDropped(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t).URL()
	f := &fleet{}
	a := f.start(t, 0, url, time.Second)
	waitLeader(t, []*replica{a})
	b := f.start(t, 1, url, time.Second)
	held := waitStore(t, b, "a followed snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil && s.Replica.Role == snapshot.RoleFollower })
	old := &snapshot.Snapshot{Version: 1, Skills: []snapshot.Skill{{Key: "sim:1", Name: "LATE"}}}
	payload, err := encodeSnapshot(held.Replica.Term-1, 99, time.Now(), old)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, url)
	k := keysFor(t.Name())
	// Through the fence: the script refuses a token that does not hold the lease.
	res, err := publishScript.Run(t.Context(), c, []string{k.leader, k.snapshot}, "not-the-token", payload, "1", k.channel).Int()
	if err != nil || res != 0 {
		t.Errorf("fenced publish with a stale token = %d, %v; want refused (0)", res, err)
	}
	// Straight onto the channel, as a leader frozen mid-publish would land it.
	if err := c.Publish(t.Context(), k.channel, payload).Err(); err != nil {
		t.Fatal(err)
	}
	later := waitStore(t, b, "newer snapshots", func(s *snapshot.Snapshot) bool { return s.Replica.Seq > held.Replica.Seq+5 })
	for s := b.store.Load(); ; s = b.store.Load() {
		if s.Skills[0].Name == "LATE" {
			t.Fatal("follower applied an older term's publication")
		}
		if s.Replica.Seq > later.Replica.Seq+3 {
			break
		}
		<-b.store.Changed()
	}
}

// TestFrozenLeaderStops: a leader whose renew deadline passed (frozen by a GC pause or
// SIGSTOP) sends no vendor request and publishes nothing, before it even notices.
func TestFrozenLeaderStops(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t).URL()
	f := &fleet{}
	a := f.start(t, 0, url, time.Hour) // renewals far apart: only the deadline matters
	waitLeader(t, []*replica{a})
	// The leader's first snapshot must be on show before its deadline passes: on a
	// loaded machine it can still be on its way, and Load is nil until it lands.
	waitStore(t, a, "the leader's first snapshot", func(*snapshot.Snapshot) bool { return true })
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer vendor.Close()
	hc := &http.Client{Transport: GuardTransport(http.DefaultTransport, a.node.Leading)}
	resp, err := hc.Get(vendor.URL)
	if err != nil {
		t.Fatalf("leader's request refused: %v", err)
	}
	resp.Body.Close()
	a.node.mu.Lock()
	a.node.deadline = time.Now().Add(-time.Millisecond) // as if frozen past it
	a.node.mu.Unlock()
	if _, err := hc.Get(vendor.URL); !errors.Is(err, ErrNotLeader) {
		t.Errorf("request after the deadline = %v, want ErrNotLeader", err)
	}
	shown := a.store.Load().Version
	a.node.forward(context.Background(), &snapshot.Snapshot{Version: shown + 100})
	if got := a.store.Load().Version; got != shown {
		t.Errorf("a leader past its deadline showed version %d", got)
	}
}

// TestKickReachesEveryReplica: a revoke on one replica closes the sockets on all.
func TestKickReachesEveryReplica(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t).URL()
	f := &fleet{}
	rs := []*replica{f.start(t, 0, url, time.Second), f.start(t, 1, url, time.Second)}
	for _, r := range rs {
		waitStore(t, r, "a snapshot", func(s *snapshot.Snapshot) bool { return s.Replica != nil })
	}
	if err := rs[0].node.Kick(t.Context(), "device:abc", "this screen was unlinked"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(wait)
	for _, r := range rs {
		for {
			if v, ok := f.kicks.Load(r.id); ok && v == "device:abc this screen was unlinked" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %d never got the kick", r.id)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
