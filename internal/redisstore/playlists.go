package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/screens"
)

// Playlists is the screens.Store shared by replicas: one hash (id → the playlist's
// JSON), made and deleted by admins only. Each write also bumps a version and
// notifies: the other replicas reload their playlists (Watch), and a device rebound
// on one replica is re-read by the others (Notify).
type Playlists struct{ h notedHash[screens.Playlist] }

var _ screens.Store = (*Playlists)(nil)

// NewPlaylists returns the playlist store under prefix (Prefix(name)).
func NewPlaylists(c *redis.Client, prefix string) *Playlists {
	return &Playlists{h: newNotedHash[screens.Playlist](c, prefix+"playlists")}
}

// List implements screens.Store, by id.
func (s *Playlists) List(ctx context.Context) ([]screens.Playlist, error) {
	ps, err := s.h.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("redisstore: playlists: list: %w", err)
	}
	return ps, nil
}

// Put implements screens.Store.
func (s *Playlists) Put(ctx context.Context, p screens.Playlist) error {
	if p.ID == "" {
		return errors.New("redisstore: playlists: put: empty id")
	}
	if err := s.h.put(ctx, p.ID, p); err != nil {
		return fmt.Errorf("redisstore: playlists: put %s: %w", p.ID, err)
	}
	return nil
}

// Delete implements screens.Store.
func (s *Playlists) Delete(ctx context.Context, id string) error {
	n, err := s.h.del(ctx, id)
	if err != nil {
		return fmt.Errorf("redisstore: playlists: delete %s: %w", id, err)
	}
	if n == 0 {
		return screens.ErrUnknownPlaylist
	}
	return nil
}

// Watch calls reload after every change any replica makes to the playlists or a
// screen's binding, until ctx is done.
func (s *Playlists) Watch(ctx context.Context, reload func(context.Context)) {
	s.h.news.Watch(ctx, reload)
}

// Notify tells every replica's Watch that a screen was rebound (the binding lives in
// the device store), so the one holding its socket switches it.
func (s *Playlists) Notify(ctx context.Context) error {
	if err := s.h.news.Notify(ctx); err != nil {
		return fmt.Errorf("redisstore: playlists: notify: %w", err)
	}
	return nil
}
