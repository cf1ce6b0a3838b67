package redisstore

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// SharedKey returns the secret kept under key, storing make()'s result first if there
// is none (SET NX, so every replica of a fleet ends up with the first one made): the
// CSRF and embed signing keys must be the same on every replica behind one load
// balancer, or a form rendered by one fails on another.
func SharedKey(ctx context.Context, c *redis.Client, key string, make func() []byte) ([]byte, error) {
	if err := c.SetNX(ctx, key, make(), 0).Err(); err != nil {
		return nil, fmt.Errorf("redisstore: shared key: %w", err)
	}
	b, err := c.Get(ctx, key).Bytes()
	if err != nil {
		return nil, fmt.Errorf("redisstore: shared key: %w", err)
	}
	return b, nil
}
