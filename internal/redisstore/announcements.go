package redisstore

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/announce"
)

// Announcements is the announce.Store shared by replicas: one hash (id → the
// announcement's JSON), at most announce.MaxActive live ones, expired ones deleted by
// every replica's feed at their time. Each write also bumps a version and notifies
// (changes), so the other replicas' feeds reload within a round trip: Watch.
type Announcements struct {
	h notedHash[announce.Announcement]
}

var _ announce.Store = (*Announcements)(nil)

// NewAnnouncements returns the announcement store under prefix (Prefix(name)).
func NewAnnouncements(c *redis.Client, prefix string) *Announcements {
	return &Announcements{h: newNotedHash[announce.Announcement](c, prefix+"announcements")}
}

// List implements announce.Store.
func (s *Announcements) List(ctx context.Context) ([]announce.Announcement, error) {
	as, err := s.h.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("redisstore: announcements: %w", err)
	}
	return as, nil
}

// Put implements announce.Store.
func (s *Announcements) Put(ctx context.Context, a announce.Announcement) error {
	if err := s.h.put(ctx, a.ID, a); err != nil {
		return fmt.Errorf("redisstore: announcements: put: %w", err)
	}
	return nil
}

// Delete implements announce.Store.
func (s *Announcements) Delete(ctx context.Context, ids ...string) error {
	if _, err := s.h.del(ctx, ids...); err != nil {
		return fmt.Errorf("redisstore: announcements: delete: %w", err)
	}
	return nil
}

// Watch calls reload after every change any replica makes (announce.Feed.Reload),
// until ctx is done.
func (s *Announcements) Watch(ctx context.Context, reload func(context.Context)) {
	s.h.news.Watch(ctx, reload)
}
