package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/auth"
)

var (
	// token → expiry (8 bytes, Unix ns, big-endian) + class (1 byte) + session data.
	bucketSessions = []byte("sessions")
	// class + expiry + token → nothing: finds expired sessions and the next to evict
	// without reading every record.
	bucketSessionOrder = []byte("sessions_by_expiry")
)

// Session classes, the first byte of an order key: anonymous sessions sort first, so
// they are evicted before any signed-in one.
const (
	classAnonymous byte = 0
	classSignedIn  byte = 1
)

// SessionOptions configures NewSessionStore.
type SessionOptions struct {
	// Max is how many sessions the store holds. Committing a new one beyond it evicts
	// the anonymous session that expires first, or if none remain the signed-in one
	// that expires first. Zero means 100000.
	Max int
	// SignedIn tells signed-in session data from anonymous (auth.SessionSignedIn). Nil
	// means every session counts as signed in.
	SignedIn func([]byte) bool
	// CleanupInterval is how often Run deletes expired sessions. Zero means 5 minutes.
	CleanupInterval time.Duration
	// Logger receives cleanup failures. Nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// SessionStore is the auth.SessionStore (an scs.Store) kept in the DB, so signed-in
// sessions survive restarts. Tokens arrive hashed (scs HashTokenInStore).
type SessionStore struct {
	db   *bbolt.DB
	opts SessionOptions

	// mu serialises writers so n stays the number of records on disk.
	mu sync.Mutex
	n  int
}

var _ auth.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns the session store in db, creating its buckets.
func NewSessionStore(db *DB, opts SessionOptions) (*SessionStore, error) {
	if opts.Max <= 0 {
		opts.Max = 100000
	}
	if opts.CleanupInterval <= 0 {
		opts.CleanupInterval = 5 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := db.createBuckets(bucketSessions, bucketSessionOrder); err != nil {
		return nil, fmt.Errorf("bolt: session store: %w", err)
	}
	s := &SessionStore{db: db.db, opts: opts}
	err := s.db.View(func(tx *bbolt.Tx) error {
		s.n = tx.Bucket(bucketSessions).Stats().KeyN
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: session store: %w", err)
	}
	return s, nil
}

// Find implements scs.Store: the session's data, or found false if there is none or
// it has expired.
func (s *SessionStore) Find(token string) (b []byte, found bool, err error) {
	now := s.opts.Now()
	err = s.db.View(func(tx *bbolt.Tx) error {
		rec := tx.Bucket(bucketSessions).Get([]byte(token))
		if len(rec) < 9 || !now.Before(recordExpiry(rec)) {
			return nil
		}
		b, found = append([]byte(nil), rec[9:]...), true // rec is valid only in the tx
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("bolt: session store: find: %w", err)
	}
	return b, found, nil
}

// Commit implements scs.Store: it adds or replaces the session, evicting one when the
// store is full and the token is new.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	class := classSignedIn
	if s.opts.SignedIn != nil && !s.opts.SignedIn(b) {
		class = classAnonymous
	}
	rec := make([]byte, 9, 9+len(b))
	binary.BigEndian.PutUint64(rec, uint64(expiry.UnixNano()))
	rec[8] = class
	rec = append(rec, b...)

	s.mu.Lock()
	defer s.mu.Unlock()
	delta := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sessions, order := tx.Bucket(bucketSessions), tx.Bucket(bucketSessionOrder)
		delta = 0
		if old := sessions.Get([]byte(token)); old != nil {
			if err := order.Delete(orderKey(old, token)); err != nil {
				return err
			}
		} else {
			delta = 1
			if s.n >= s.opts.Max {
				if err := evictOne(sessions, order); err != nil {
					return err
				}
				delta = 0
			}
		}
		if err := sessions.Put([]byte(token), rec); err != nil {
			return err
		}
		return order.Put(orderKey(rec, token), nil)
	})
	if err != nil {
		return fmt.Errorf("bolt: session store: commit: %w", err)
	}
	s.n += delta
	return nil
}

// evictOne deletes the first session in expiry order: anonymous ones first.
func evictOne(sessions, order *bbolt.Bucket) error {
	k, _ := order.Cursor().First()
	if k == nil {
		return nil
	}
	if err := order.Delete(k); err != nil {
		return err
	}
	return sessions.Delete(k[9:])
}

// Delete implements scs.Store; deleting a missing token is not an error.
func (s *SessionStore) Delete(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	deleted := false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sessions := tx.Bucket(bucketSessions)
		old := sessions.Get([]byte(token))
		if old == nil {
			return nil
		}
		deleted = true
		if err := tx.Bucket(bucketSessionOrder).Delete(orderKey(old, token)); err != nil {
			return err
		}
		return sessions.Delete([]byte(token))
	})
	if err != nil {
		return fmt.Errorf("bolt: session store: delete: %w", err)
	}
	if deleted {
		s.n--
	}
	return nil
}

// Len implements auth.SessionStore: the sessions stored, expired ones not yet cleaned
// up included.
func (s *SessionStore) Len() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, nil
}

// Run deletes expired sessions every CleanupInterval until ctx is done.
func (s *SessionStore) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.CleanupInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.DeleteExpired(); err != nil {
				s.opts.Logger.Warn("bolt: session cleanup", "err", err)
			}
		}
	}
}

// DeleteExpired deletes every session whose expiry has passed and says how many.
func (s *SessionStore) DeleteExpired() (int, error) {
	now := uint64(s.opts.Now().UnixNano())
	s.mu.Lock()
	defer s.mu.Unlock()
	deleted := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sessions, order := tx.Bucket(bucketSessions), tx.Bucket(bucketSessionOrder)
		deleted = 0
		var expired [][]byte
		for _, class := range []byte{classAnonymous, classSignedIn} {
			c := order.Cursor()
			for k, _ := c.Seek([]byte{class}); k != nil && k[0] == class && binary.BigEndian.Uint64(k[1:9]) <= now; k, _ = c.Next() {
				expired = append(expired, append([]byte(nil), k...))
			}
		}
		for _, k := range expired {
			if err := order.Delete(k); err != nil {
				return err
			}
			if err := sessions.Delete(k[9:]); err != nil {
				return err
			}
			deleted++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bolt: session store: delete expired: %w", err)
	}
	s.n -= deleted
	return deleted, nil
}

func recordExpiry(rec []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(rec[:8])))
}

// orderKey is the order-bucket key of a record: class, expiry, token.
func orderKey(rec []byte, token string) []byte {
	k := make([]byte, 0, 9+len(token))
	k = append(k, rec[8])
	k = append(k, rec[:8]...)
	return append(k, token...)
}
