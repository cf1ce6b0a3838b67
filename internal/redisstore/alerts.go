package redisstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/alerts"
)

// Alerts is the alerts.Store shared by replicas: one hash (alert id → the alert's
// JSON) for the state, one sorted set for the log (members 8 big-endian bytes of the
// event's Unix nanoseconds, 8 of an arrival counter, then the event's JSON, all scored
// 0: ZRANGE BYLEX walks them by time, then arrival), and one list of the
// acknowledgements posted on followers for the leader to apply (PostAck, TakeAcks).
// Only the lease holder writes state and log; every write notifies (changes) so the
// followers reload what it wrote (Watch).
type Alerts struct {
	c                      *redis.Client
	state, log, seq, queue string
	news                   changes
}

var (
	_ alerts.Store  = (*Alerts)(nil)
	_ alerts.Shared = (*Alerts)(nil)
)

// NewAlerts returns the alert store under prefix (Prefix(name)).
func NewAlerts(c *redis.Client, prefix string) *Alerts {
	base := prefix + "alerts"
	return &Alerts{c: c, state: base + ":state", log: base + ":log", seq: base + ":seq", queue: base + ":acks",
		news: newChanges(c, base)}
}

// Active implements alerts.Store.
func (s *Alerts) Active(ctx context.Context) ([]alerts.Alert, error) {
	all, err := s.c.HGetAll(ctx, s.state).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: alerts: state: %w", err)
	}
	out := make([]alerts.Alert, 0, len(all))
	for id, raw := range all {
		var a alerts.Alert
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("redisstore: alerts: alert %s: %w", id, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// Save implements alerts.Store in one MULTI/EXEC.
func (s *Alerts) Save(ctx context.Context, put []alerts.Alert, del []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	vals := make([]any, 0, 2*len(put))
	for _, a := range put {
		v, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("redisstore: alerts: save %s: %w", a.ID, err)
		}
		vals = append(vals, a.ID, v)
	}
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if len(vals) > 0 {
			p.HSet(ctx, s.state, vals...)
		}
		if len(del) > 0 {
			p.HDel(ctx, s.state, del...)
		}
		s.news.note(ctx, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: alerts: save: %w", err)
	}
	return nil
}

// Append implements alerts.Store: the arrival counter is reserved first (INCRBY), then
// the events go in with the notification in one MULTI/EXEC.
func (s *Alerts) Append(ctx context.Context, events []alerts.Event) error {
	if len(events) == 0 {
		return ctx.Err()
	}
	last, err := s.c.IncrBy(ctx, s.seq, int64(len(events))).Result()
	if err != nil {
		return fmt.Errorf("redisstore: alerts: append: %w", err)
	}
	members := make([]redis.Z, len(events))
	for i, ev := range events {
		v, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("redisstore: alerts: append: %w", err)
		}
		m := binary.BigEndian.AppendUint64([]byte(timeMember(ev.At)), uint64(last-int64(len(events)-1-i)))
		members[i] = redis.Z{Member: string(append(m, v...))}
	}
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, s.log, members...)
		s.news.note(ctx, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: alerts: append: %w", err)
	}
	return nil
}

// Events implements alerts.Store.
func (s *Alerts) Events(ctx context.Context, since time.Time, limit int) ([]alerts.Event, error) {
	args := redis.ZRangeArgs{Key: s.log, Start: "[" + timeMember(since), Stop: "+", ByLex: true}
	if limit > 0 {
		args.Rev, args.Start, args.Stop, args.Count = true, "+", "["+timeMember(since), int64(limit)
	}
	ms, err := s.c.ZRangeArgs(ctx, args).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: alerts: log: %w", err)
	}
	if args.Rev {
		slices.Reverse(ms)
	}
	out := make([]alerts.Event, 0, len(ms))
	for _, m := range ms {
		if len(m) < 16 {
			continue
		}
		var ev alerts.Event
		if err := json.Unmarshal([]byte(m[16:]), &ev); err != nil {
			return nil, fmt.Errorf("redisstore: alerts: log: %w", err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// Prune implements alerts.Store.
func (s *Alerts) Prune(ctx context.Context, before time.Time) (int, error) {
	n, err := s.c.ZRemRangeByLex(ctx, s.log, "-", "("+timeMember(before)).Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: alerts: prune: %w", err)
	}
	return int(n), nil
}

// PostAck implements alerts.Shared: the acknowledgement waits in Redis for whichever
// replica leads (now, or after a failover), and the notification wakes it.
func (s *Alerts) PostAck(ctx context.Context, r alerts.AckRequest) error {
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("redisstore: alerts: post ack: %w", err)
	}
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, s.queue, v)
		s.news.note(ctx, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: alerts: post ack: %w", err)
	}
	return nil
}

// TakeAcks implements alerts.Shared: every posted acknowledgement, oldest first,
// removed in the same MULTI/EXEC that reads them.
func (s *Alerts) TakeAcks(ctx context.Context) ([]alerts.AckRequest, error) {
	var got *redis.StringSliceCmd
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		got = p.LRange(ctx, s.queue, 0, -1)
		p.Del(ctx, s.queue)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("redisstore: alerts: take acks: %w", err)
	}
	out := make([]alerts.AckRequest, 0, len(got.Val()))
	for _, raw := range got.Val() {
		var r alerts.AckRequest
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			continue // not one of ours: dropping it beats blocking every later ack
		}
		out = append(out, r)
	}
	return out, nil
}

// Watch implements alerts.Shared: reload runs after every write or posted ack by any
// replica, until ctx is done.
func (s *Alerts) Watch(ctx context.Context, reload func(context.Context)) { s.news.Watch(ctx, reload) }
