package cluster

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// lead runs the poller and publishes its snapshots until leadership ends: the lease was
// lost, the deadline passed without a renewal, the poller stopped, or ctx is done. It
// returns only after the poller has stopped.
func (n *Node) lead(ctx context.Context) {
	lctx, cancel := context.WithCancel(ctx)
	out := snapshot.NewStore()
	n.mu.Lock()
	if n.lastGood != nil {
		out.Publish(n.lastGood)
	}
	n.mu.Unlock()
	changed := out.Changed()
	done := make(chan error, 1)
	go func() { done <- n.opts.Lead(lctx, out) }()
	renew := time.NewTicker(n.opts.TTL / 3)
	beat := time.NewTicker(n.opts.Heartbeat)
	stop := time.NewTimer(n.untilDeadline())
	defer func() {
		cancel()
		<-done
		renew.Stop()
		beat.Stop()
		stop.Stop()
		n.stepDown()
	}()
	why := ""
	for why == "" {
		select {
		case <-ctx.Done():
			return
		case err := <-done:
			done <- err // for the deferred wait
			why = "poller stopped"
		case <-changed:
			changed = out.Changed()
			n.forward(ctx, out.Load())
		case <-beat.C:
			n.heartbeat(ctx)
		case <-renew.C:
			if n.renew(ctx) {
				stop.Reset(n.untilDeadline())
			}
		case <-stop.C:
			stop.Reset(n.untilDeadline())
		}
		if why == "" && !n.Leading() {
			why = "lease lost or its deadline passed"
		}
	}
	n.log.Warn("cluster: stepping down", "why", why)
}

func (n *Node) untilDeadline() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	return max(time.Until(n.deadline), time.Millisecond)
}

// stepDown ends this replica's term and gives the lease back if it still holds it.
func (n *Node) stepDown() {
	n.mu.Lock()
	n.deadline = time.Time{}
	n.mu.Unlock()
	n.release()
	n.opts.Metrics.role(false)
}

// Lua: publish (and, for a snapshot, store) a message only while the lease is ours:
// a deposed leader's late publications never reach anyone.
var publishScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then redis.call('SET', KEYS[2], ARGV[2]) end
redis.call('PUBLISH', ARGV[4], ARGV[2])
return 1`)

// forward shows a snapshot of this replica's poller locally and publishes it to the
// followers, if this replica still leads.
func (n *Node) forward(ctx context.Context, s *snapshot.Snapshot) {
	now := time.Now()
	n.mu.Lock()
	if s == nil || !n.leadingLocked() {
		n.mu.Unlock()
		return
	}
	n.seq++
	term, seq := n.term, n.seq
	n.held = [2]uint64{term, seq}
	n.lastGood, n.gotAt = s, now
	n.mu.Unlock()
	n.show(s, snapshot.Replica{Role: snapshot.RoleLeader, Term: term, Seq: seq, ReceivedAt: now})
	b, err := encodeSnapshot(term, seq, now, s)
	if err != nil {
		n.log.Error("cluster: snapshot not published", "err", err)
		return
	}
	n.opts.Metrics.sent(len(b))
	n.publish(ctx, b, true)
}

// heartbeat tells the followers this leader is alive and which seq it is at.
func (n *Node) heartbeat(ctx context.Context) {
	n.mu.Lock()
	term, seq, ok := n.term, n.seq, n.leadingLocked()
	n.mu.Unlock()
	if ok {
		n.publish(ctx, encodeHeartbeat(term, seq, time.Now()), false)
	}
}

func (n *Node) publish(ctx context.Context, b []byte, store bool) {
	cctx, cancel := context.WithTimeout(ctx, n.opts.TTL/3)
	defer cancel()
	flag := "0"
	if store {
		flag = "1"
	}
	res, err := publishScript.Run(cctx, n.opts.Client, []string{n.keys.leader, n.keys.snapshot}, n.token, b, flag, n.keys.channel).Int()
	switch {
	case err != nil && !errors.Is(err, redis.Nil):
		n.log.Warn("cluster: publish failed", "err", err)
	case res != 1:
		n.mu.Lock()
		n.lost = true
		n.mu.Unlock()
	}
}

// show publishes s into this replica's store with its replica stamp. Versions only go
// up: a snapshot not newer than the shown one (the link-down copy was) gets the next.
func (n *Node) show(s *snapshot.Snapshot, r snapshot.Replica) {
	n.pubMu.Lock()
	defer n.pubMu.Unlock()
	c := *s
	if cur := n.opts.Store.Load(); cur != nil && c.Version <= cur.Version {
		c.Version = cur.Version + 1
	}
	c.Replica = &r
	n.opts.Store.Publish(&c)
}

// GuardTransport wraps next so that every request fails with ErrNotLeader unless
// leading() is true at the moment it is sent: a leader frozen past its deadline (GC,
// SIGSTOP) sends nothing more once it runs again, even before it notices.
func GuardTransport(next http.RoundTripper, leading func() bool) http.RoundTripper {
	return guard{next: next, leading: leading}
}

type guard struct {
	next    http.RoundTripper
	leading func() bool
}

func (g guard) RoundTrip(r *http.Request) (*http.Response, error) {
	if !g.leading() {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, ErrNotLeader
	}
	return g.next.RoundTrip(r)
}
