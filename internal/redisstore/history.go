package redisstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/history"
)

// History is the history.Store shared by replicas: per tier one sorted set, the index
// (members the frame's time as 8 big-endian bytes of Unix nanoseconds, all scored 0,
// so ZRANGE BYLEX walks them in time order with nanosecond precision a float score
// lacks), and one hash, the frames (same member → frame bytes). Six keys in all, whatever
// the age of the fleet: the recorder's Trim (once a minute) bounds what they hold to
// the raw window and the retention, as in the bolt file.
type History struct {
	c      *redis.Client
	prefix string
}

var _ history.Store = (*History)(nil)

// rangePage is how many frames one round trip of Range fetches.
const rangePage = 256

// NewHistory returns the history store under prefix (Prefix(name)).
func NewHistory(c *redis.Client, prefix string) *History {
	return &History{c: c, prefix: prefix}
}

// keys are tier's index and frames keys; ok is false for an unknown tier.
func (h *History) keys(t history.Tier) (index, frames string, ok bool) {
	switch t {
	case history.Raw, history.Minute, history.Events:
		base := h.prefix + "history:" + t.String()
		return base + ":index", base + ":frames", true
	}
	return "", "", false
}

// timeMember is t as the index member; times before 1970 ("from the start") are 0.
func timeMember(t time.Time) string {
	if t.Before(time.Unix(0, 0)) {
		return string(make([]byte, 8))
	}
	return string(binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())))
}

// Write implements history.Store in one MULTI/EXEC: every entry or none.
func (h *History) Write(ctx context.Context, entries []history.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, e := range entries {
		if _, _, ok := h.keys(e.Tier); !ok {
			return fmt.Errorf("redisstore: history write: unknown tier %d", e.Tier)
		}
	}
	_, err := h.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range entries {
			index, frames, _ := h.keys(e.Tier)
			m := timeMember(e.At)
			p.ZAdd(ctx, index, redis.Z{Member: m})
			p.HSet(ctx, frames, m, e.Data)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: history write: %w", err)
	}
	return nil
}

// Range implements history.Store, a page of frames per round trip. A frame trimmed
// between reading the index and the frames is skipped, as if trimmed before.
func (h *History) Range(ctx context.Context, tier history.Tier, from, to time.Time, fn func(time.Time, []byte) error) error {
	index, frames, ok := h.keys(tier)
	if !ok {
		return fmt.Errorf("redisstore: history: unknown tier %d", tier)
	}
	lo, hi := "["+timeMember(from), "("+timeMember(to)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ms, err := h.c.ZRangeArgs(ctx, redis.ZRangeArgs{Key: index, Start: lo, Stop: hi, ByLex: true, Count: rangePage}).Result()
		if err != nil {
			return fmt.Errorf("redisstore: history range: %w", err)
		}
		if len(ms) == 0 {
			return nil
		}
		vals, err := h.c.HMGet(ctx, frames, ms...).Result()
		if err != nil {
			return fmt.Errorf("redisstore: history range: %w", err)
		}
		for i, m := range ms {
			v, ok := vals[i].(string)
			if !ok || len(m) != 8 {
				continue
			}
			at := time.Unix(0, int64(binary.BigEndian.Uint64([]byte(m)))).UTC()
			if err := fn(at, []byte(v)); err != nil {
				return err
			}
		}
		if len(ms) < rangePage {
			return nil
		}
		lo = "(" + ms[len(ms)-1]
	}
}

// trimScript deletes the index members below ARGV[1] and their frames, a chunk at a
// time (Lua's unpack has a stack limit), atomically with respect to every other command.
var trimScript = redis.NewScript(`
local n = 0
while true do
  local ms = redis.call('ZRANGE', KEYS[1], '-', ARGV[1], 'BYLEX', 'LIMIT', 0, 500)
  if #ms == 0 then return n end
  redis.call('HDEL', KEYS[2], unpack(ms))
  redis.call('ZREM', KEYS[1], unpack(ms))
  n = n + #ms
end`)

// Trim implements history.Store.
func (h *History) Trim(ctx context.Context, tier history.Tier, before time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	index, frames, ok := h.keys(tier)
	if !ok {
		return fmt.Errorf("redisstore: history trim: unknown tier %d", tier)
	}
	err := trimScript.Run(ctx, h.c, []string{index, frames}, "("+timeMember(before)).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redisstore: history trim: %w", err)
	}
	return nil
}

// Close implements history.Store; the client is the caller's to close.
func (h *History) Close() error { return nil }
