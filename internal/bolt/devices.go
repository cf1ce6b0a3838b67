package bolt

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/auth"
)

var (
	bucketDevices = []byte("devices")        // id → deviceRecord JSON
	bucketSecrets = []byte("device_secrets") // sha256(secret) → id
)

// DeviceStore is the auth.DeviceStore kept in the DB. Last-seen times are written at
// most once per auth.TouchInterval per device; pings in between only update memory.
type DeviceStore struct {
	db  *bbolt.DB
	now func() time.Time

	seen auth.SeenCache
}

var _ auth.DeviceStore = (*DeviceStore)(nil)

type deviceRecord struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Board      string    `json:"board"`
	Playlist   string    `json:"playlist,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeen   time.Time `json:"last_seen"`
	Revoked    bool      `json:"revoked"`
	SecretHash string    `json:"secret_sha256"`
}

func (r deviceRecord) device() auth.Device {
	return auth.Device{ID: r.ID, Name: r.Name, Board: r.Board, Playlist: r.Playlist, CreatedAt: r.CreatedAt, LastSeen: r.LastSeen, Revoked: r.Revoked}
}

// NewDeviceStore returns the device store in db, creating its buckets. The buckets and
// record format are those of the device store ccdash kept in devices.db before
// internal/bolt, so existing device links keep working.
func NewDeviceStore(db *DB) (*DeviceStore, error) {
	if err := db.createBuckets(bucketDevices, bucketSecrets); err != nil {
		return nil, fmt.Errorf("bolt: device store: %w", err)
	}
	return &DeviceStore{db: db.db, now: time.Now}, nil
}

// Create implements auth.DeviceStore.
func (s *DeviceStore) Create(ctx context.Context, board, name string) (auth.Device, string, error) {
	if err := ctx.Err(); err != nil {
		return auth.Device{}, "", err
	}
	if err := auth.ValidateDevice(board, name); err != nil {
		return auth.Device{}, "", err
	}
	secret := auth.NewDeviceSecret()
	sum, _ := auth.DeviceSecretSum(secret)
	rec := deviceRecord{
		ID:         newID(),
		Name:       name,
		Board:      board,
		CreatedAt:  s.now().UTC().Truncate(time.Second),
		SecretHash: hex.EncodeToString(sum[:]),
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		devs := tx.Bucket(bucketDevices)
		if devs.Get([]byte(rec.ID)) != nil {
			return errors.New("device id collision") // 2^-64: retrying is the caller's call
		}
		if err := putJSON(devs, rec.ID, rec); err != nil {
			return err
		}
		return tx.Bucket(bucketSecrets).Put(sum[:], []byte(rec.ID))
	})
	if err != nil {
		return auth.Device{}, "", fmt.Errorf("bolt: device store: create: %w", err)
	}
	return rec.device(), secret, nil
}

// newID returns 8 random bytes as hex: ids are shown to admins and typed into the CLI.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

// Verify implements auth.DeviceStore. The lookup is by SHA-256 of the secret, so
// timing tells an attacker nothing about any stored secret.
func (s *DeviceStore) Verify(ctx context.Context, secret string) (auth.Device, error) {
	if err := ctx.Err(); err != nil {
		return auth.Device{}, err
	}
	sum, ok := auth.DeviceSecretSum(secret)
	if !ok {
		return auth.Device{}, auth.ErrUnknownToken
	}
	var rec deviceRecord
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketSecrets).Get(sum[:])
		if id == nil {
			return nil
		}
		var err error
		found, err = getJSON(tx.Bucket(bucketDevices), string(id), &rec)
		return err
	})
	if err != nil {
		return auth.Device{}, fmt.Errorf("bolt: device store: verify: %w", err)
	}
	if !found {
		return auth.Device{}, auth.ErrUnknownToken
	}
	d := s.seen.Apply(rec.device())
	if d.Revoked {
		return d, auth.ErrRevoked
	}
	return d, nil
}

// Touch implements auth.DeviceStore.
func (s *DeviceStore) Touch(ctx context.Context, id string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	at = at.UTC()
	if s.seen.Skip(id, at) {
		return nil
	}

	// Disk I/O outside the lock; two racing touches both writing is harmless.
	var stored time.Time
	err := s.update(id, func(rec *deviceRecord) bool {
		changed := at.After(rec.LastSeen)
		if changed {
			rec.LastSeen = at
		}
		stored = rec.LastSeen
		return changed
	})
	if err != nil {
		return err
	}
	s.seen.Wrote(id, stored)
	return nil
}

// List implements auth.DeviceStore. LastSeen includes touches not yet written to disk.
func (s *DeviceStore) List(ctx context.Context) ([]auth.Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []auth.Device
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketDevices).ForEach(func(k, v []byte) error {
			var rec deviceRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("device %s: %w", k, err)
			}
			out = append(out, s.seen.Apply(rec.device()))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: device store: list: %w", err)
	}
	slices.SortFunc(out, func(a, b auth.Device) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Bind implements auth.DeviceStore.
func (s *DeviceStore) Bind(ctx context.Context, id string, b auth.Binding) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return s.update(id, func(rec *deviceRecord) bool {
		changed := rec.Board != b.Board || rec.Playlist != b.Playlist
		rec.Board, rec.Playlist = b.Board, b.Playlist
		return changed
	})
}

// Revoke implements auth.DeviceStore. The record and its secret hash stay, so the
// revoked display gets auth.ErrRevoked (an "unlinked" page) rather than ErrUnknownToken.
func (s *DeviceStore) Revoke(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(id, func(rec *deviceRecord) bool {
		changed := !rec.Revoked
		rec.Revoked = true
		return changed
	})
}

// update applies change to device id's record and writes it if change says so.
func (s *DeviceStore) update(id string, change func(*deviceRecord) bool) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		devs := tx.Bucket(bucketDevices)
		var rec deviceRecord
		ok, err := getJSON(devs, id, &rec)
		if err != nil {
			return err
		}
		if !ok {
			return auth.ErrUnknownDevice
		}
		if !change(&rec) {
			return nil
		}
		return putJSON(devs, id, rec)
	})
	if errors.Is(err, auth.ErrUnknownDevice) {
		return auth.ErrUnknownDevice
	}
	if err != nil {
		return fmt.Errorf("bolt: device store: %w", err)
	}
	return nil
}

// getJSON decodes the JSON record under key into v, reporting false if there is none.
func getJSON(b *bbolt.Bucket, key string, v any) (bool, error) {
	raw := b.Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("record %s: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bbolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}
