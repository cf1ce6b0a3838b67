package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/poller"
)

// bucketStateSince holds one nested bucket per source: agent key → poller.StateMark JSON.
var bucketStateSince = []byte("state_since")

// StateSinceStore is the poller.StateSinceStore kept in the DB, so the times in state
// ccdash measures itself (Comm100) survive a restart.
type StateSinceStore struct {
	db *bbolt.DB
}

var _ poller.StateSinceStore = (*StateSinceStore)(nil)

// NewStateSinceStore returns the state-since store in db, creating its bucket.
func NewStateSinceStore(db *DB) (*StateSinceStore, error) {
	if err := db.createBuckets(bucketStateSince); err != nil {
		return nil, fmt.Errorf("bolt: state-since store: %w", err)
	}
	return &StateSinceStore{db: db.db}, nil
}

// Load implements poller.StateSinceStore. A record that does not decode is skipped:
// one damaged mark costs that agent's time, not everyone's.
func (s *StateSinceStore) Load(ctx context.Context) (map[string]map[string]poller.StateMark, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]map[string]poller.StateMark{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketStateSince).ForEachBucket(func(src []byte) error {
			marks := map[string]poller.StateMark{}
			err := tx.Bucket(bucketStateSince).Bucket(src).ForEach(func(k, v []byte) error {
				var m poller.StateMark
				if json.Unmarshal(v, &m) == nil {
					marks[string(k)] = m
				}
				return nil
			})
			out[string(src)] = marks
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: load state-since: %w", err)
	}
	return out, nil
}

// Save implements poller.StateSinceStore: source's marks are replaced in one
// transaction, so a crash leaves either the old set or the new one.
func (s *StateSinceStore) Save(ctx context.Context, source string, marks map[string]poller.StateMark) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if source == "" {
		return fmt.Errorf("bolt: save state-since: empty source id")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketStateSince)
		if root.Bucket([]byte(source)) != nil {
			if err := root.DeleteBucket([]byte(source)); err != nil {
				return err
			}
		}
		if len(marks) == 0 {
			return nil
		}
		b, err := root.CreateBucket([]byte(source))
		if err != nil {
			return err
		}
		for k, m := range marks {
			v, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: save state-since of %s: %w", source, err)
	}
	return nil
}
