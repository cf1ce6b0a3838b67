package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"
)

// notedHash is one hash of JSON records (id → T) whose every write also notes the
// change (changes) in the same MULTI: the shape of the stores replicas keep in memory
// (announcements, playlists, edited boards). Errors are the caller's to wrap.
type notedHash[T any] struct {
	c    *redis.Client
	key  string
	news changes
}

func newNotedHash[T any](c *redis.Client, key string) notedHash[T] {
	return notedHash[T]{c: c, key: key, news: newChanges(c, key)}
}

// list returns every record, by id.
func (h notedHash[T]) list(ctx context.Context) ([]T, error) {
	all, err := h.c.HGetAll(ctx, h.key).Result()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, strings.Compare)
	out := make([]T, 0, len(all))
	for _, id := range ids {
		var v T
		if err := json.Unmarshal([]byte(all[id]), &v); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// put writes v under id.
func (h notedHash[T]) put(ctx context.Context, id string, v T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = h.c.TxPipelined(ctx, func(tx redis.Pipeliner) error {
		tx.HSet(ctx, h.key, id, raw)
		h.news.note(ctx, tx)
		return nil
	})
	return err
}

// del removes ids and returns how many there were.
func (h notedHash[T]) del(ctx context.Context, ids ...string) (int64, error) {
	if err := ctx.Err(); err != nil || len(ids) == 0 {
		return 0, err
	}
	var n *redis.IntCmd
	_, err := h.c.TxPipelined(ctx, func(tx redis.Pipeliner) error {
		n = tx.HDel(ctx, h.key, ids...)
		h.news.note(ctx, tx)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n.Val(), nil
}
