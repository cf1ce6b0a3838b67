package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
)

// EmbedLinkStore is the auth.EmbedLinkStore shared by replicas: one hash of link
// records (id → JSON), so a link revoked on one replica stops working on all.
type EmbedLinkStore struct {
	c    *redis.Client
	hash string

	mu      sync.Mutex
	seen    map[string]time.Time // latest Seen per link on this replica
	written map[string]time.Time // last LastSeen this replica wrote
}

var _ auth.EmbedLinkStore = (*EmbedLinkStore)(nil)

// NewEmbedLinkStore returns the embed link store under prefix (Prefix(name)).
func NewEmbedLinkStore(c *redis.Client, prefix string) *EmbedLinkStore {
	return &EmbedLinkStore{c: c, hash: prefix + "embed_links", seen: map[string]time.Time{}, written: map[string]time.Time{}}
}

// embedRecord is the stored form; the same fields as the bolt store's.
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
	err := updateJSON(ctx, s.c, s.hash, l.ID, func(rec *embedRecord, found bool) error {
		if !found {
			*rec = embedRecord{ID: l.ID, Board: l.Board, Tile: l.Tile, Expires: l.Expires.UTC(), FirstSeen: at}
		} else if !at.After(rec.LastSeen) {
			return errSkip
		}
		rec.LastSeen = at
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: embed link store: seen: %w", err)
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
	if _, err := getJSON(ctx, s.c, s.hash, id, &rec); err != nil {
		return false, fmt.Errorf("redisstore: embed link store: %w", err)
	}
	return rec.Revoked, nil
}

// List implements auth.EmbedLinkStore. LastSeen includes this replica's unwritten uses.
func (s *EmbedLinkStore) List(ctx context.Context) ([]auth.EmbedLink, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs, err := allJSON[embedRecord](ctx, s.c, s.hash)
	if err != nil {
		return nil, fmt.Errorf("redisstore: embed link store: list: %w", err)
	}
	out := make([]auth.EmbedLink, 0, len(recs))
	s.mu.Lock()
	for _, rec := range recs {
		l := rec.link()
		if t := s.seen[l.ID]; t.After(l.LastSeen) {
			l.LastSeen = t
		}
		out = append(out, l)
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
	err := updateJSON(ctx, s.c, s.hash, id, func(rec *embedRecord, found bool) error {
		switch {
		case !found:
			return auth.ErrUnknownEmbedLink
		case rec.Revoked:
			return errSkip
		}
		rec.Revoked = true
		return nil
	})
	if errors.Is(err, auth.ErrUnknownEmbedLink) {
		return err
	}
	if err != nil {
		return fmt.Errorf("redisstore: embed link store: revoke: %w", err)
	}
	return nil
}
