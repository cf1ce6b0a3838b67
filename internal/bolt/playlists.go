package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/screens"
)

var bucketPlaylists = []byte("playlists") // id → screens.Playlist JSON

// PlaylistStore is the screens.Store kept in the DB: the playlists made on the
// screens page.
type PlaylistStore struct{ db *bbolt.DB }

var _ screens.Store = (*PlaylistStore)(nil)

// NewPlaylistStore returns the playlist store in db, creating its bucket.
func NewPlaylistStore(db *DB) (*PlaylistStore, error) {
	if err := db.createBuckets(bucketPlaylists); err != nil {
		return nil, fmt.Errorf("bolt: playlist store: %w", err)
	}
	return &PlaylistStore{db: db.db}, nil
}

// List implements screens.Store: bbolt keeps keys sorted, so the list is by id.
func (s *PlaylistStore) List(ctx context.Context) ([]screens.Playlist, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []screens.Playlist
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPlaylists).ForEach(func(k, v []byte) error {
			var p screens.Playlist
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("playlist %s: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: playlist store: list: %w", err)
	}
	return out, nil
}

// Put implements screens.Store.
func (s *PlaylistStore) Put(ctx context.Context, p screens.Playlist) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.ID == "" {
		return fmt.Errorf("bolt: playlist store: put: empty id")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error { return putJSON(tx.Bucket(bucketPlaylists), p.ID, p) })
	if err != nil {
		return fmt.Errorf("bolt: playlist store: put %s: %w", p.ID, err)
	}
	return nil
}

// Delete implements screens.Store.
func (s *PlaylistStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPlaylists)
		if b.Get([]byte(id)) == nil {
			return screens.ErrUnknownPlaylist
		}
		return b.Delete([]byte(id))
	})
	if err == screens.ErrUnknownPlaylist {
		return err
	}
	if err != nil {
		return fmt.Errorf("bolt: playlist store: delete %s: %w", id, err)
	}
	return nil
}
