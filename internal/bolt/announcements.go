package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/announce"
)

var bucketAnnouncements = []byte("announcements") // announcement id → announce.Announcement JSON

// Announcements is the announce.Store kept in the database file.
type Announcements struct{ d *DB }

var _ announce.Store = (*Announcements)(nil)

// NewAnnouncements returns the announcement store of d, creating its bucket.
func NewAnnouncements(d *DB) (*Announcements, error) {
	if err := d.createBuckets(bucketAnnouncements); err != nil {
		return nil, err
	}
	return &Announcements{d: d}, nil
}

// List implements announce.Store.
func (s *Announcements) List(ctx context.Context) ([]announce.Announcement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []announce.Announcement
	err := s.d.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAnnouncements).ForEach(func(k, v []byte) error {
			var a announce.Announcement
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("announcement %q: %w", k, err)
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: announcements: %w", err)
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
		return fmt.Errorf("bolt: announcements: %w", err)
	}
	err = s.d.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAnnouncements).Put([]byte(a.ID), v)
	})
	if err != nil {
		return fmt.Errorf("bolt: announcements: put: %w", err)
	}
	return nil
}

// Delete implements announce.Store.
func (s *Announcements) Delete(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.d.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAnnouncements)
		for _, id := range ids {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: announcements: delete: %w", err)
	}
	return nil
}
