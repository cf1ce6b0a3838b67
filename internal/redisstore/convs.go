package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// ConvsFleet is the convs.Fleet of replicas: the drill-downs' interest in one sorted
// set (member: the want as JSON, score: its expiry in Redis' own clock, so replicas'
// clocks need not agree), and each skill's latest list in a key of its own, written by
// the lease holder only.
type ConvsFleet struct {
	c       *redis.Client
	wanted  string
	lists   string
	leading func() bool
}

var _ convs.Fleet = (*ConvsFleet)(nil)

// NewConvsFleet returns the drill-downs' fleet under prefix (Prefix(name)); leading
// reports whether this replica holds the poller lease.
func NewConvsFleet(c *redis.Client, prefix string, leading func() bool) *ConvsFleet {
	return &ConvsFleet{c: c, wanted: prefix + "convs_wanted", lists: prefix + "convs_list:", leading: leading}
}

// Leading implements convs.Fleet.
func (f *ConvsFleet) Leading() bool { return f.leading() }

// Lua: add (or extend, never shorten: another replica may want it longer) a want until
// Redis' now + ARGV[2] ms; the set itself goes when its last want could.
var announceScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'GT', now + tonumber(ARGV[2]), ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`)

// Lua: drop the expired wants, return the others.
var wantedScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`)

// Announce implements convs.Fleet.
func (f *ConvsFleet) Announce(ctx context.Context, w convs.Want, ttl time.Duration) error {
	if w.Key == "" || ttl <= 0 {
		return fmt.Errorf("redisstore: announce conversations interest: empty skill or ttl %v", ttl)
	}
	b, err := json.Marshal(w)
	if err == nil {
		err = announceScript.Run(ctx, f.c, []string{f.wanted}, b, ttl.Milliseconds()).Err()
	}
	if err != nil {
		return fmt.Errorf("redisstore: announce conversations interest: %w", err)
	}
	return nil
}

// Wanted implements convs.Fleet. A member that does not decode is skipped (it
// expires like the others).
func (f *ConvsFleet) Wanted(ctx context.Context) ([]convs.Want, error) {
	members, err := wantedScript.Run(ctx, f.c, []string{f.wanted}).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redisstore: conversations interest: %w", err)
	}
	out := make([]convs.Want, 0, len(members))
	for _, m := range members {
		var w convs.Want
		if json.Unmarshal([]byte(m), &w) == nil && w.Key != "" {
			out = append(out, w)
		}
	}
	return out, nil
}

// Publish implements convs.Fleet: nothing is written once this replica stopped
// leading (a late refresh of a deposed leader).
func (f *ConvsFleet) Publish(ctx context.Context, list snapshot.Conversations, ttl time.Duration) error {
	if !f.leading() {
		return nil
	}
	b, err := json.Marshal(list)
	if err == nil {
		err = f.c.Set(ctx, f.lists+list.Skill, b, ttl).Err()
	}
	if err != nil {
		return fmt.Errorf("redisstore: publish conversations of %s: %w", list.Skill, err)
	}
	return nil
}

// Published implements convs.Fleet.
func (f *ConvsFleet) Published(ctx context.Context, skillKey string) (*snapshot.Conversations, error) {
	b, err := f.c.Get(ctx, f.lists+skillKey).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: conversations of %s: %w", skillKey, err)
	}
	var c snapshot.Conversations
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("redisstore: conversations of %s: %w", skillKey, err)
	}
	return &c, nil
}
