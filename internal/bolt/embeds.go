package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/auth"
)

var bucketEmbedLinks = []byte("embed_links") // id → embedRecord JSON

// EmbedLinkStore is the auth.EmbedLinkStore kept in the DB.
type EmbedLinkStore struct {
	db *bbolt.DB

	mu      sync.Mutex
	seen    map[string]time.Time // latest Seen per link, written or not
	written map[string]time.Time // last LastSeen written per link
}

var _ auth.EmbedLinkStore = (*EmbedLinkStore)(nil)

type embedRecord struct {
	ID        string    `json:"id"`
	Board     string    `json:"board"`
	Tile      string    `json:"tile,omitempty"`
	Expires   time.Time `json:"expires"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Revoked   bool      `json:"revoked"`
}

func (r embedRecord) link() auth.EmbedLink {
	return auth.EmbedLink{ID: r.ID, Board: r.Board, Tile: r.Tile, Expires: r.Expires, FirstSeen: r.FirstSeen, LastSeen: r.LastSeen, Revoked: r.Revoked}
}

// NewEmbedLinkStore returns the embed link store in db, creating its bucket.
func NewEmbedLinkStore(db *DB) (*EmbedLinkStore, error) {
	if err := db.createBuckets(bucketEmbedLinks); err != nil {
		return nil, fmt.Errorf("bolt: embed link store: %w", err)
	}
	return &EmbedLinkStore{db: db.db, seen: map[string]time.Time{}, written: map[string]time.Time{}}, nil
}

// Seen implements auth.EmbedLinkStore.
func (s *EmbedLinkStore) Seen(ctx context.Context, l auth.EmbedLink, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	at = at.UTC()
	s.mu.Lock()
	if at.After(s.seen[l.ID]) {
		s.seen[l.ID] = at
	}
	last, known := s.written[l.ID]
	s.mu.Unlock()
	if known && at.Sub(last) < auth.TouchInterval {
		return nil
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEmbedLinks)
		var rec embedRecord
		found, err := getJSON(b, l.ID, &rec)
		if err != nil {
			return err
		}
		if !found {
			rec = embedRecord{ID: l.ID, Board: l.Board, Tile: l.Tile, Expires: l.Expires.UTC(), FirstSeen: at}
		}
		if !at.After(rec.LastSeen) && found {
			return nil
		}
		rec.LastSeen = at
		return putJSON(b, l.ID, rec)
	})
	if err != nil {
		return fmt.Errorf("bolt: embed link store: seen: %w", err)
	}
	s.mu.Lock()
	if at.After(s.written[l.ID]) {
		s.written[l.ID] = at
	}
	s.mu.Unlock()
	return nil
}

// Revoked implements auth.EmbedLinkStore.
func (s *EmbedLinkStore) Revoked(ctx context.Context, id string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var rec embedRecord
	err := s.db.View(func(tx *bbolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketEmbedLinks), id, &rec)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("bolt: embed link store: %w", err)
	}
	return rec.Revoked, nil
}

// List implements auth.EmbedLinkStore. LastSeen includes uses not yet written.
func (s *EmbedLinkStore) List(ctx context.Context) ([]auth.EmbedLink, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []auth.EmbedLink
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketEmbedLinks).ForEach(func(k, v []byte) error {
			var rec embedRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("embed link %s: %w", k, err)
			}
			out = append(out, rec.link())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: embed link store: list: %w", err)
	}
	s.mu.Lock()
	for i := range out {
		if t := s.seen[out[i].ID]; t.After(out[i].LastSeen) {
			out[i].LastSeen = t
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b auth.EmbedLink) int {
		if c := b.FirstSeen.Compare(a.FirstSeen); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Revoke implements auth.EmbedLinkStore.
func (s *EmbedLinkStore) Revoke(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEmbedLinks)
		var rec embedRecord
		found, err := getJSON(b, id, &rec)
		switch {
		case err != nil:
			return err
		case !found:
			return auth.ErrUnknownEmbedLink
		case rec.Revoked:
			return nil
		}
		rec.Revoked = true
		return putJSON(b, id, rec)
	})
	if err == auth.ErrUnknownEmbedLink {
		return err
	}
	if err != nil {
		return fmt.Errorf("bolt: embed link store: revoke: %w", err)
	}
	return nil
}
