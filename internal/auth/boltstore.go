package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketDevices = []byte("devices")        // id → deviceRecord JSON
	bucketSecrets = []byte("device_secrets") // sha256(secret) → id
)

// boltOpenTimeout is how long OpenBoltStore waits for the file lock before saying another
// process holds it, instead of hanging forever.
const boltOpenTimeout = time.Second

// BoltStore is the DeviceStore kept in a bbolt file in the data directory. bbolt takes an
// exclusive file lock: only one process can open the file at a time, so replicas must
// not share it (use a networked DeviceStore for them); a second open fails after a
// second with an error saying the file is in use.
type BoltStore struct {
	db  *bolt.DB
	now func() time.Time

	mu      sync.Mutex
	seen    map[string]time.Time // latest Touch per device, written or not
	written map[string]time.Time // last LastSeen written to disk per device
}

var _ DeviceStore = (*BoltStore)(nil)

type deviceRecord struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Board      string    `json:"board"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeen   time.Time `json:"last_seen"`
	Revoked    bool      `json:"revoked"`
	SecretHash string    `json:"secret_sha256"`
}

func (r deviceRecord) device() Device {
	return Device{ID: r.ID, Name: r.Name, Board: r.Board, CreatedAt: r.CreatedAt, LastSeen: r.LastSeen, Revoked: r.Revoked}
}

// OpenBoltStore opens (creating if needed, with its directory) the device store at path,
// readable by the owner only.
func OpenBoltStore(path string) (*BoltStore, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("auth: device store: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: boltOpenTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("auth: device store %s is in use by another process (bbolt allows one): %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: device store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketDevices, bucketSecrets} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("auth: device store %s: create buckets: %w", path, err)
	}
	return &BoltStore{db: db, now: time.Now, seen: map[string]time.Time{}, written: map[string]time.Time{}}, nil
}

// Create implements DeviceStore.
func (s *BoltStore) Create(ctx context.Context, board, name string) (Device, string, error) {
	if err := ctx.Err(); err != nil {
		return Device{}, "", err
	}
	if err := validateDevice(board, name); err != nil {
		return Device{}, "", err
	}
	secret := DeviceSecretPrefix + newRandomToken()
	sum := sha256.Sum256([]byte(secret))
	idBytes := make([]byte, 8)
	_, _ = rand.Read(idBytes)
	rec := deviceRecord{
		ID:         hex.EncodeToString(idBytes),
		Name:       name,
		Board:      board,
		CreatedAt:  s.now().UTC().Truncate(time.Second),
		SecretHash: hex.EncodeToString(sum[:]),
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		devs := tx.Bucket(bucketDevices)
		if devs.Get([]byte(rec.ID)) != nil {
			return errors.New("device id collision") // 2^-64: retrying is the caller's call
		}
		if err := putRecord(devs, rec); err != nil {
			return err
		}
		return tx.Bucket(bucketSecrets).Put(sum[:], []byte(rec.ID))
	})
	if err != nil {
		return Device{}, "", fmt.Errorf("auth: device store: create: %w", err)
	}
	return rec.device(), secret, nil
}

// Verify implements DeviceStore. The lookup is by SHA-256 of the secret, so timing tells
// an attacker nothing about any stored secret.
func (s *BoltStore) Verify(ctx context.Context, secret string) (Device, error) {
	if err := ctx.Err(); err != nil {
		return Device{}, err
	}
	if !wellFormedDeviceSecret(secret) {
		return Device{}, ErrUnknownToken
	}
	sum := sha256.Sum256([]byte(secret))
	var rec deviceRecord
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketSecrets).Get(sum[:])
		if id == nil {
			return nil
		}
		var err error
		rec, found, err = getRecord(tx.Bucket(bucketDevices), string(id))
		return err
	})
	if err != nil {
		return Device{}, fmt.Errorf("auth: device store: verify: %w", err)
	}
	if !found {
		return Device{}, ErrUnknownToken
	}
	d := s.withSeen(rec.device())
	if d.Revoked {
		return d, ErrRevoked
	}
	return d, nil
}

func wellFormedDeviceSecret(secret string) bool {
	rest, ok := strings.CutPrefix(secret, DeviceSecretPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	return err == nil && len(b) == 32
}

// Touch implements DeviceStore.
func (s *BoltStore) Touch(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	at = at.UTC()
	s.mu.Lock()
	last, known := s.written[id]
	if known && at.Sub(last) < TouchInterval {
		if at.After(s.seen[id]) {
			s.seen[id] = at
		}
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()

	// Disk I/O outside the lock; two racing touches both writing is harmless.
	var stored time.Time
	err := s.db.Update(func(tx *bolt.Tx) error {
		devs := tx.Bucket(bucketDevices)
		rec, ok, err := getRecord(devs, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrUnknownDevice
		}
		if at.After(rec.LastSeen) {
			rec.LastSeen = at
			if err := putRecord(devs, rec); err != nil {
				return err
			}
		}
		stored = rec.LastSeen
		return nil
	})
	if errors.Is(err, ErrUnknownDevice) {
		return ErrUnknownDevice
	}
	if err != nil {
		return fmt.Errorf("auth: device store: touch: %w", err)
	}
	s.mu.Lock()
	if stored.After(s.written[id]) {
		s.written[id] = stored
	}
	if stored.After(s.seen[id]) {
		s.seen[id] = stored
	}
	s.mu.Unlock()
	return nil
}

// List implements DeviceStore. LastSeen includes touches not yet written to disk.
func (s *BoltStore) List(ctx context.Context) ([]Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Device
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDevices).ForEach(func(k, v []byte) error {
			var rec deviceRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("device %s: %w", k, err)
			}
			out = append(out, rec.device())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("auth: device store: list: %w", err)
	}
	for i := range out {
		out[i] = s.withSeen(out[i])
	}
	slices.SortFunc(out, func(a, b Device) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Revoke implements DeviceStore. The record and its secret hash stay, so the revoked
// display gets ErrRevoked (an "unlinked" page) rather than ErrUnknownToken.
func (s *BoltStore) Revoke(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		devs := tx.Bucket(bucketDevices)
		rec, ok, err := getRecord(devs, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrUnknownDevice
		}
		if rec.Revoked {
			return nil
		}
		rec.Revoked = true
		return putRecord(devs, rec)
	})
	if errors.Is(err, ErrUnknownDevice) {
		return ErrUnknownDevice
	}
	if err != nil {
		return fmt.Errorf("auth: device store: revoke: %w", err)
	}
	return nil
}

// Close implements DeviceStore. Touches not yet written (under a minute old) are lost,
// which only makes LastSeen up to a minute older after a restart.
func (s *BoltStore) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("auth: device store: close: %w", err)
	}
	return nil
}

func (s *BoltStore) withSeen(d Device) Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.seen[d.ID]; t.After(d.LastSeen) {
		d.LastSeen = t
	}
	return d
}

func getRecord(b *bolt.Bucket, id string) (deviceRecord, bool, error) {
	v := b.Get([]byte(id))
	if v == nil {
		return deviceRecord{}, false, nil
	}
	var rec deviceRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return deviceRecord{}, false, fmt.Errorf("device %s: %w", id, err)
	}
	return rec, true, nil
}

func putRecord(b *bolt.Bucket, rec deviceRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put([]byte(rec.ID), v)
}
