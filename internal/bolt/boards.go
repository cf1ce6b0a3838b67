package bolt

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/boardstore"
)

var (
	bucketBoards     = []byte("boards")      // id → boardstore.Board JSON
	bucketBoardAudit = []byte("board_audit") // big-endian sequence → boardstore.Entry JSON
)

// BoardStore is the boardstore.Store and boardstore.Audit kept in the DB: the
// boards edited on /admin/boards and the log of those edits.
type BoardStore struct{ db *bbolt.DB }

var (
	_ boardstore.Store = (*BoardStore)(nil)
	_ boardstore.Audit = (*BoardStore)(nil)
)

// NewBoardStore returns the board store in db, creating its buckets.
func NewBoardStore(db *DB) (*BoardStore, error) {
	if err := db.createBuckets(bucketBoards, bucketBoardAudit); err != nil {
		return nil, fmt.Errorf("bolt: board store: %w", err)
	}
	return &BoardStore{db: db.db}, nil
}

// List implements boardstore.Store: bbolt keeps keys sorted, so the list is by id.
func (s *BoardStore) List(ctx context.Context) ([]boardstore.Board, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []boardstore.Board
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketBoards).ForEach(func(k, v []byte) error {
			var b boardstore.Board
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("board %s: %w", k, err)
			}
			out = append(out, b)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: board store: list: %w", err)
	}
	return out, nil
}

// Put implements boardstore.Store.
func (s *BoardStore) Put(ctx context.Context, b boardstore.Board) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.ID == "" {
		return errors.New("bolt: board store: put: empty id")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error { return putJSON(tx.Bucket(bucketBoards), b.ID, b) })
	if err != nil {
		return fmt.Errorf("bolt: board store: put %s: %w", b.ID, err)
	}
	return nil
}

// Delete implements boardstore.Store.
func (s *BoardStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketBoards)
		if b.Get([]byte(id)) == nil {
			return boardstore.ErrUnknownBoard
		}
		return b.Delete([]byte(id))
	})
	if errors.Is(err, boardstore.ErrUnknownBoard) {
		return err
	}
	if err != nil {
		return fmt.Errorf("bolt: board store: delete %s: %w", id, err)
	}
	return nil
}

// Append implements boardstore.Audit: the entry goes in under the next sequence
// number, and the oldest entries beyond the log's bounds go out in the same
// transaction.
func (s *BoardStore) Append(ctx context.Context, e boardstore.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketBoardAudit)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), raw); err != nil {
			return err
		}
		return trimAudit(b, e)
	})
	if err != nil {
		return fmt.Errorf("bolt: board audit: append: %w", err)
	}
	return nil
}

// trimAudit deletes the oldest entries while there are more than MaxEntries or
// the oldest is more than MaxAge before newest.
func trimAudit(b *bbolt.Bucket, newest boardstore.Entry) error {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e boardstore.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if n <= boardstore.MaxEntries && newest.At.Sub(e.At) <= boardstore.MaxAge {
			return nil
		}
		if err := c.Delete(); err != nil {
			return err
		}
		n--
	}
	return nil
}

// Recent implements boardstore.Audit.
func (s *BoardStore) Recent(ctx context.Context, limit int) ([]boardstore.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []boardstore.Entry
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketBoardAudit).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			var e boardstore.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: board audit: recent: %w", err)
	}
	return out, nil
}
