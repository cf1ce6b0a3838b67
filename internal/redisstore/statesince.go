package redisstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/poller"
)

// StateSinceStore is the poller.StateSinceStore shared by replicas: one hash, source →
// its marks as JSON, so the next leader carries the times in state on.
type StateSinceStore struct {
	c    *redis.Client
	hash string
}

var _ poller.StateSinceStore = (*StateSinceStore)(nil)

// NewStateSinceStore returns the state-since store under prefix (Prefix(name)).
func NewStateSinceStore(c *redis.Client, prefix string) *StateSinceStore {
	return &StateSinceStore{c: c, hash: prefix + "state_since"}
}

// Load implements poller.StateSinceStore. A source whose record does not decode is
// skipped: it costs that source's times, not everyone's.
func (s *StateSinceStore) Load(ctx context.Context) (map[string]map[string]poller.StateMark, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all, err := s.c.HGetAll(ctx, s.hash).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: load state-since: %w", err)
	}
	out := map[string]map[string]poller.StateMark{}
	for src, raw := range all {
		marks := map[string]poller.StateMark{}
		if json.Unmarshal([]byte(raw), &marks) == nil {
			out[src] = marks
		}
	}
	return out, nil
}

// Save implements poller.StateSinceStore: source's marks are replaced in one write.
func (s *StateSinceStore) Save(ctx context.Context, source string, marks map[string]poller.StateMark) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if source == "" {
		return fmt.Errorf("redisstore: save state-since: empty source id")
	}
	var err error
	if len(marks) == 0 {
		err = s.c.HDel(ctx, s.hash, source).Err()
	} else {
		var raw []byte
		if raw, err = json.Marshal(marks); err == nil {
			err = s.c.HSet(ctx, s.hash, source, raw).Err()
		}
	}
	if err != nil {
		return fmt.Errorf("redisstore: save state-since: %w", err)
	}
	return nil
}
