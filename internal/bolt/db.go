package bolt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrInUse means another process holds the database file (bbolt allows one).
var ErrInUse = errors.New("bolt: database file is in use by another process")

// openTimeout is how long Open waits for the file lock before reporting ErrInUse.
const openTimeout = time.Second

// DB is the embedded database file every bolt store keeps its buckets in. Close it
// after the stores made from it are no longer used.
type DB struct {
	db   *bbolt.DB
	path string
}

// Open opens (creating if needed, with its directory) the database file at path,
// readable and writable by the owner only.
func Open(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("bolt: %w", err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: openTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	return &DB{db: db, path: path}, nil
}

// Path is the file the database lives in.
func (d *DB) Path() string { return d.path }

// Close releases the file and its lock.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("bolt: close %s: %w", d.path, err)
	}
	return nil
}

// createBuckets makes the named top-level buckets if they do not exist yet.
func (d *DB) createBuckets(names ...[]byte) error {
	return d.db.Update(func(tx *bbolt.Tx) error {
		for _, n := range names {
			if _, err := tx.CreateBucketIfNotExists(n); err != nil {
				return fmt.Errorf("bolt: create bucket %s: %w", n, err)
			}
		}
		return nil
	})
}
