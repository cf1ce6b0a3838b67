package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// errSkip is what a change returns to write nothing.
var errSkip = errors.New("redisstore: nothing to write")

// updateJSON reads field id of hash into a fresh T (found false if absent), lets change
// edit it, and writes it back in an optimistic transaction (WATCH), retried when another
// replica wrote the hash meanwhile, so no change is lost. change returns errSkip to
// write nothing; any other error is returned as is.
func updateJSON[T any](ctx context.Context, c *redis.Client, hash, id string, change func(rec *T, found bool) error) error {
	txf := func(tx *redis.Tx) error {
		var rec T
		raw, err := tx.HGet(ctx, hash, id).Bytes()
		found := err == nil
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return err
		default:
			if err := json.Unmarshal(raw, &rec); err != nil {
				return fmt.Errorf("record %s: %w", id, err)
			}
		}
		if err := change(&rec, found); err != nil {
			return err
		}
		out, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.HSet(ctx, hash, id, out).Err() })
		return err
	}
	var err error
	for range 20 {
		if err = c.Watch(ctx, txf, hash); !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if errors.Is(err, errSkip) {
		return nil
	}
	return err
}

// allJSON decodes every field of hash.
func allJSON[T any](ctx context.Context, c *redis.Client, hash string) ([]T, error) {
	all, err := c.HGetAll(ctx, hash).Result()
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(all))
	for id, raw := range all {
		var rec T
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return nil, fmt.Errorf("record %s: %w", id, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// getJSON decodes field id of hash into rec, reporting false if there is none.
func getJSON[T any](ctx context.Context, c *redis.Client, hash, id string, rec *T) (bool, error) {
	raw, err := c.HGet(ctx, hash, id).Bytes()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(raw, rec); err != nil {
		return false, fmt.Errorf("record %s: %w", id, err)
	}
	return true, nil
}
