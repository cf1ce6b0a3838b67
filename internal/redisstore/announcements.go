package redisstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/announce"
)

// Announcements is the announce.Store shared by replicas: one hash (id → the
// announcement's JSON), at most announce.MaxActive live ones, expired ones deleted by
// every replica's feed at their time. Each write also bumps a version and notifies
// (changes), so the other replicas' feeds reload within a round trip: Watch.
type Announcements struct {
	c    *redis.Client
	key  string
	news changes
}

var _ announce.Store = (*Announcements)(nil)

// NewAnnouncements returns the announcement store under prefix (Prefix(name)).
func NewAnnouncements(c *redis.Client, prefix string) *Announcements {
	return &Announcements{c: c, key: prefix + "announcements", news: newChanges(c, prefix+"announcements")}
}

// List implements announce.Store.
func (s *Announcements) List(ctx context.Context) ([]announce.Announcement, error) {
	all, err := s.c.HGetAll(ctx, s.key).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: announcements: %w", err)
	}
	out := make([]announce.Announcement, 0, len(all))
	for id, raw := range all {
		var a announce.Announcement
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("redisstore: announcements: %q: %w", id, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// Put implements announce.Store.
func (s *Announcements) Put(ctx context.Context, a announce.Announcement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("redisstore: announcements: %w", err)
	}
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.key, a.ID, v)
		s.news.note(ctx, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: announcements: put: %w", err)
	}
	return nil
}

// Delete implements announce.Store.
func (s *Announcements) Delete(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil || len(ids) == 0 {
		return err
	}
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, s.key, ids...)
		s.news.note(ctx, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: announcements: delete: %w", err)
	}
	return nil
}

// Watch calls reload after every change any replica makes (announce.Feed.Reload),
// until ctx is done.
func (s *Announcements) Watch(ctx context.Context, reload func(context.Context)) {
	s.news.Watch(ctx, reload)
}
