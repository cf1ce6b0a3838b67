package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/ccdash/ccdash/internal/history"
)

// HistoryFile is the history store's file name in data_dir.
const HistoryFile = "history.db"

// HistoryOptions tune OpenHistory.
type HistoryOptions struct {
	// NoSync skips fsync on commit (benchmarks only: a crash may lose recent frames).
	NoSync bool
	// Log receives the "moved aside" line. Nil means slog.Default().
	Log *slog.Logger
	// Now stamps the name of a corrupt file moved aside. Nil means time.Now.
	Now func() time.Time
}

// History is the history.Store kept in one bbolt file: a bucket per tier, keys the
// frame's time as 8 big-endian bytes of Unix nanoseconds, so keys sort by time and a
// range is one cursor walk. Every Write is one transaction: all entries or none, and
// a crash leaves the file as of the last commit (bbolt's copy-on-write pages).
type History struct {
	db *bbolt.DB
}

var _ history.Store = (*History)(nil)

// OpenHistory opens (creating if needed, with its directory) the history file at
// path. A file bbolt cannot read, or whose pages fail bbolt's consistency check, is
// renamed to path.corrupt-<time> with a log line saying so, and a fresh file is
// started: losing history must never stop the dashboard from starting.
func OpenHistory(path string, opts HistoryOptions) (*History, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("bolt: history: %w", err)
	}
	db, err := openChecked(path, opts)
	if errors.Is(err, errCorrupt) {
		aside := fmt.Sprintf("%s.corrupt-%s", path, opts.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(path, aside); rerr != nil {
			return nil, fmt.Errorf("bolt: history %s is corrupt and cannot be moved aside: %w", path, rerr)
		}
		opts.Log.Error("history file is corrupt: moved aside, starting a fresh one", "file", path, "moved_to", aside, "err", err)
		db, err = openChecked(path, opts)
	}
	if err != nil {
		return nil, err
	}
	// Grow the file a megabyte at a time (bbolt's default is 16 MB), so its size on
	// disk follows what history holds.
	db.AllocSize = 1 << 20
	return &History{db: db}, nil
}

var errCorrupt = errors.New("corrupt")

// openChecked opens path and verifies every page; errCorrupt means the file is damaged.
func openChecked(path string, opts HistoryOptions) (db *bbolt.DB, err error) {
	defer func() {
		// bbolt panics on some damaged pages rather than returning an error.
		if r := recover(); r != nil {
			if db != nil {
				_ = db.Close()
			}
			db, err = nil, fmt.Errorf("bolt: history %s: %w: %v", path, errCorrupt, r)
		}
	}()
	db, err = bbolt.Open(path, 0o600, &bbolt.Options{Timeout: openTimeout, NoSync: opts.NoSync})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s", ErrInUse, path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("bolt: history %s: %w: %v", path, errCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("bolt: history: %w", err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		// Walk every key: a damaged page panics (recovered above) or fails here. Not
		// tx.Check, which walks on a goroutine of its own where a panic cannot be
		// recovered and would take the whole server down.
		err := tx.ForEach(func(_ []byte, b *bbolt.Bucket) error {
			c := b.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%w: %v", errCorrupt, err)
		}
		for _, t := range history.Tiers {
			if _, err := tx.CreateBucketIfNotExists([]byte(t.String())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bolt: history %s: %w", path, err)
	}
	return db, nil
}

// timeKey is t as 8 big-endian bytes of Unix nanoseconds; times before 1970 (the zero
// time, "from the start") are 0, whose UnixNano would not fit.
func timeKey(t time.Time) []byte {
	if t.Before(time.Unix(0, 0)) {
		return make([]byte, 8)
	}
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

// Write stores every entry in one transaction.
func (h *History) Write(_ context.Context, entries []history.Entry) error {
	err := h.db.Update(func(tx *bbolt.Tx) error {
		for _, e := range entries {
			b := tx.Bucket([]byte(e.Tier.String()))
			if b == nil {
				return fmt.Errorf("unknown tier %d", e.Tier)
			}
			b.FillPercent = 0.95 // keys only grow: pack pages instead of splitting them in half
			if err := b.Put(timeKey(e.At), e.Data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: history write: %w", err)
	}
	return nil
}

// Range walks the frames of tier in [from, to).
func (h *History) Range(ctx context.Context, tier history.Tier, from, to time.Time, fn func(time.Time, []byte) error) error {
	end := timeKey(to)
	return h.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(tier.String()))
		if b == nil {
			return fmt.Errorf("bolt: history: unknown tier %d", tier)
		}
		c := b.Cursor()
		for k, v := c.Seek(timeKey(from)); k != nil && string(k) < string(end); k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(k) != 8 {
				continue
			}
			if err := fn(time.Unix(0, int64(binary.BigEndian.Uint64(k))).UTC(), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Trim deletes the frames of tier older than before.
func (h *History) Trim(_ context.Context, tier history.Tier, before time.Time) error {
	end := timeKey(before)
	err := h.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(tier.String()))
		if b == nil {
			return fmt.Errorf("unknown tier %d", tier)
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && string(k) < string(end); k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt: history trim: %w", err)
	}
	return nil
}

// Close closes the file.
func (h *History) Close() error { return h.db.Close() }
