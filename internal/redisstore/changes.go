package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// changePoll is how often Watch also reads the version, for the notification a lost
// subscription never delivered (one can stay silently on a demoted master after a
// Sentinel failover).
const changePoll = 5 * time.Second

// changes tells every replica that a shared store changed, so the replicas that keep
// it in memory (the announcement feed, the screens' playlists) reload it: each write
// adds INCR version and PUBLISH channel to its own MULTI, so the version moves and the
// message goes out exactly when the change commits.
type changes struct {
	c                *redis.Client
	channel, version string
}

func newChanges(c *redis.Client, base string) changes {
	return changes{c: c, channel: base + ":changed", version: base + ":version"}
}

// note queues the version bump and the notification on p.
func (ch changes) note(ctx context.Context, p redis.Pipeliner) {
	p.Incr(ctx, ch.version)
	p.Publish(ctx, ch.channel, "")
}

// Notify tells every replica's Watch to reload, without a write (a change kept
// elsewhere, such as a device's new binding in the device store).
func (ch changes) Notify(ctx context.Context) error {
	_, err := ch.c.TxPipelined(ctx, func(p redis.Pipeliner) error { ch.note(ctx, p); return nil })
	return err
}

// Watch calls reload once subscribed (for changes made before), then after every
// change by any replica (this one's too: a reload of what it already holds is a
// no-op), until ctx is done. Missed notifications are caught by reading the version
// every changePoll.
func (ch changes) Watch(ctx context.Context, reload func(context.Context)) {
	ps := ch.c.Subscribe(ctx, ch.channel)
	defer ps.Close()
	// Wait for the subscription (or its failure: go-redis keeps retrying), so no change
	// made after the first reload goes unheard.
	sctx, cancel := context.WithTimeout(ctx, changePoll)
	_, _ = ps.Receive(sctx)
	cancel()
	msgs := ps.Channel()
	tick := time.NewTicker(changePoll)
	defer tick.Stop()
	last, _ := ch.current(ctx)
	reload(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-msgs:
		case <-tick.C:
		}
		v, err := ch.current(ctx)
		if err != nil || v == last {
			continue // Redis down: the next tick or message tries again
		}
		last = v
		reload(ctx)
	}
}

func (ch changes) current(ctx context.Context) (int64, error) {
	v, err := ch.c.Get(ctx, ch.version).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return v, err
}
