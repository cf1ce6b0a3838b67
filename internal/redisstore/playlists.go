package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/screens"
)

// Playlists is the screens.Store shared by replicas: one hash (id → the playlist's
// JSON), made and deleted by admins only. Each write also bumps a version and
// notifies (changes): the other replicas reload their playlists (Watch), and a
// device rebound on one replica is re-read by the others (Notify).
type Playlists struct {
	c    *redis.Client
	key  string
	news changes
}

var _ screens.Store = (*Playlists)(nil)

// NewPlaylists returns the playlist store under prefix (Prefix(name)).
func NewPlaylists(c *redis.Client, prefix string) *Playlists {
	return &Playlists{c: c, key: prefix + "playlists", news: newChanges(c, prefix+"screens")}
}

// List implements screens.Store, by id.
func (s *Playlists) List(ctx context.Context) ([]screens.Playlist, error) {
	all, err := s.c.HGetAll(ctx, s.key).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: playlists: list: %w", err)
	}
	out := make([]screens.Playlist, 0, len(all))
	for id, raw := range all {
		var p screens.Playlist
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return nil, fmt.Errorf("redisstore: playlists: playlist %s: %w", id, err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b screens.Playlist) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Put implements screens.Store.
func (s *Playlists) Put(ctx context.Context, p screens.Playlist) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID == "" {
		return fmt.Errorf("redisstore: playlists: put: empty id")
	}
	v, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("redisstore: playlists: put %s: %w", p.ID, err)
	}
	_, err = s.c.TxPipelined(ctx, func(tx redis.Pipeliner) error {
		tx.HSet(ctx, s.key, p.ID, v)
		s.news.note(ctx, tx)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: playlists: put %s: %w", p.ID, err)
	}
	return nil
}

// Delete implements screens.Store.
func (s *Playlists) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var del *redis.IntCmd
	_, err := s.c.TxPipelined(ctx, func(tx redis.Pipeliner) error {
		del = tx.HDel(ctx, s.key, id)
		s.news.note(ctx, tx)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: playlists: delete %s: %w", id, err)
	}
	if del.Val() == 0 {
		return screens.ErrUnknownPlaylist
	}
	return nil
}

// Watch calls reload after every change any replica makes to the playlists or a
// screen's binding, until ctx is done.
func (s *Playlists) Watch(ctx context.Context, reload func(context.Context)) {
	s.news.Watch(ctx, reload)
}

// Notify tells every replica's Watch that a screen was rebound (the binding lives in
// the device store), so the one holding its socket switches it.
func (s *Playlists) Notify(ctx context.Context) error {
	if err := s.news.Notify(ctx); err != nil {
		return fmt.Errorf("redisstore: playlists: notify: %w", err)
	}
	return nil
}
