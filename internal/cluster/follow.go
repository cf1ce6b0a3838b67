package cluster

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// silenceBeats is how many heartbeats a follower may miss before it assumes its
// subscription is dead (it can silently stay on a demoted master after a failover).
const silenceBeats = 3

// follow keeps a subscription to the cluster channel and applies what arrives, until
// ctx is done. Every (re)subscription reloads the latest snapshot from its key.
func (n *Node) follow(ctx context.Context) {
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		if !first {
			n.opts.Metrics.reconnected()
		}
		first = false
		err := n.subscribeOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			n.linkLost(err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, n.opts.Heartbeat)
			continue
		}
		backoff = 100 * time.Millisecond
	}
}

// subscribeOnce runs one subscription until it fails or falls silent. A silent one
// returns nil when Redis still answers (no leader right now is not a broken link).
func (n *Node) subscribeOnce(ctx context.Context) error {
	ps := n.opts.Client.Subscribe(ctx, n.keys.channel)
	defer ps.Close()
	silence := silenceBeats * n.opts.Heartbeat
	for ctx.Err() == nil {
		msg, err := ps.ReceiveTimeout(ctx, silence)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				n.log.Debug("cluster: no message for three heartbeats: resubscribing")
				return n.reload(ctx)
			}
			return err
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if err := n.reload(ctx); err != nil {
				return err
			}
		case *redis.Message:
			n.receive(ctx, []byte(m.Payload))
		}
	}
	return nil
}

// reload applies the snapshot kept in the key: at start, after a reconnect, after
// silence, or when a heartbeat says this replica missed one.
func (n *Node) reload(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, n.opts.TTL/3)
	defer cancel()
	b, err := n.opts.Client.Get(cctx, n.keys.snapshot).Bytes()
	if errors.Is(err, redis.Nil) {
		n.linkBack(nil)
		return nil
	}
	if err != nil {
		return err
	}
	m, err := decode(b)
	if err != nil || m.kind != kindSnapshot {
		n.log.Warn("cluster: stored snapshot unreadable", "err", err)
		n.linkBack(nil)
		return nil
	}
	n.linkBack(&m)
	return nil
}

// receive handles one message from the channel.
func (n *Node) receive(ctx context.Context, b []byte) {
	m, err := decode(b)
	if err != nil {
		n.log.Warn("cluster: message dropped", "err", err)
		return
	}
	switch m.kind {
	case kindKick:
		if n.opts.Kick != nil {
			n.opts.Kick(m.key, m.reason)
		}
	case kindHeartbeat:
		n.mu.Lock()
		n.highest = max(n.highest, m.term)
		missed := m.seq > 0 && newer(m.term, m.seq, n.held[0], n.held[1]) && !n.leadingLocked()
		n.mu.Unlock()
		if missed {
			_ = n.reload(ctx) // a failure shows up on the next receive
		}
	case kindSnapshot:
		n.apply(&m, false)
	}
}

// apply shows a snapshot from the leader unless it is older than the one held (a
// deposed leader's late publication). force applies an equal one too (the link is back:
// the stale marking must go).
func (n *Node) apply(m *message, force bool) {
	now := time.Now()
	n.mu.Lock()
	n.highest = max(n.highest, m.term)
	fresh := newer(m.term, m.seq, n.held[0], n.held[1])
	equal := m.term == n.held[0] && m.seq == n.held[1]
	if n.leadingLocked() || !fresh && !(force && equal) {
		held := n.held
		n.mu.Unlock()
		if !fresh && !equal {
			n.opts.Metrics.dropped()
			n.log.Debug("cluster: older publication dropped", "term", m.term, "seq", m.seq, "held_term", held[0], "held_seq", held[1])
		}
		return
	}
	if m.term != n.held[0] {
		n.opts.Metrics.leaderChanged(m.term)
	}
	n.held = [2]uint64{m.term, m.seq}
	n.lastGood, n.gotAt = m.snap, now
	n.linkDown = false
	n.mu.Unlock()
	n.opts.Metrics.propagated(now.Sub(m.sentAt))
	n.show(m.snap, snapshot.Replica{Role: snapshot.RoleFollower, Term: m.term, Seq: m.seq, ReceivedAt: now})
}

// linkBack ends a link-down spell: the loaded snapshot, or the last one held, is shown
// again without the marking.
func (n *Node) linkBack(m *message) {
	n.mu.Lock()
	was := n.linkDown
	n.linkDown = false
	last, held, at := n.lastGood, n.held, n.gotAt
	n.mu.Unlock()
	if was {
		n.log.Info("cluster: link to Redis back")
	}
	if m != nil {
		n.apply(m, was)
		return
	}
	if was && last != nil {
		n.show(last, snapshot.Replica{Role: snapshot.RoleFollower, Term: held[0], Seq: held[1], ReceivedAt: at})
	}
}

// linkLost marks this replica's snapshot stale ("cluster link down") unless it leads
// (its own poller is still allowed to run until its deadline).
func (n *Node) linkLost(err error) {
	n.mu.Lock()
	if n.leadingLocked() || n.linkDown || n.lastGood == nil {
		n.mu.Unlock()
		return
	}
	n.linkDown = true
	last, held, at := n.lastGood, n.held, n.gotAt
	n.mu.Unlock()
	n.log.Warn("cluster: link to Redis down: serving the last snapshot, marked stale", "err", err)
	n.show(markLinkDown(last, time.Now()), snapshot.Replica{Role: snapshot.RoleFollower, Term: held[0], Seq: held[1], ReceivedAt: at, LinkDown: true})
}

// markLinkDown is s with every source failing for the reason "cluster link down".
func markLinkDown(s *snapshot.Snapshot, now time.Time) *snapshot.Snapshot {
	c := *s
	c.Sources = slices.Clone(s.Sources)
	for i := range c.Sources {
		st := &c.Sources[i]
		st.ConsecutiveFailures = max(st.ConsecutiveFailures, 1)
		st.LastError = &snapshot.SourceError{Kind: snapshot.ErrClusterLink, Text: LinkDownReason, At: now}
	}
	return &c
}
