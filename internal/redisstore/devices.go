package redisstore

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

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
)

// Prefix is the key prefix of fleet name: ccdash:{name}:.
func Prefix(name string) string { return "ccdash:{" + name + "}:" }

// DeviceStore is the auth.DeviceStore shared by replicas: one hash of device records
// (id → JSON) and one of secret hashes (sha256 hex → id). Last-seen times are written
// at most once per auth.TouchInterval per device and replica.
type DeviceStore struct {
	c                *redis.Client
	devices, secrets string
	now              func() time.Time

	seen auth.SeenCache
}

var _ auth.DeviceStore = (*DeviceStore)(nil)

// NewDeviceStore returns the device store under prefix (Prefix(name)).
func NewDeviceStore(c *redis.Client, prefix string) *DeviceStore {
	return &DeviceStore{c: c, devices: prefix + "devices", secrets: prefix + "device_secrets", now: time.Now}
}

// deviceRecord is the stored form; the same fields as the bolt store's.
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

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
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
	rec := deviceRecord{ID: newID(), Name: name, Board: board, CreatedAt: s.now().UTC().Truncate(time.Second), SecretHash: hex.EncodeToString(sum[:])}
	raw, err := json.Marshal(rec)
	if err != nil {
		return auth.Device{}, "", err
	}
	ok, err := s.c.HSetNX(ctx, s.devices, rec.ID, raw).Result()
	if err == nil && !ok {
		err = errors.New("device id collision") // 2^-64: retrying is the caller's call
	}
	if err == nil {
		err = s.c.HSet(ctx, s.secrets, rec.SecretHash, rec.ID).Err()
	}
	if err != nil {
		return auth.Device{}, "", fmt.Errorf("redisstore: device store: create: %w", err)
	}
	return rec.device(), secret, nil
}

// Verify implements auth.DeviceStore, looking the secret up by its SHA-256.
func (s *DeviceStore) Verify(ctx context.Context, secret string) (auth.Device, error) {
	if err := ctx.Err(); err != nil {
		return auth.Device{}, err
	}
	sum, ok := auth.DeviceSecretSum(secret)
	if !ok {
		return auth.Device{}, auth.ErrUnknownToken
	}
	id, err := s.c.HGet(ctx, s.secrets, hex.EncodeToString(sum[:])).Result()
	if errors.Is(err, redis.Nil) {
		return auth.Device{}, auth.ErrUnknownToken
	}
	if err != nil {
		return auth.Device{}, fmt.Errorf("redisstore: device store: verify: %w", err)
	}
	rec, found, err := s.get(ctx, id)
	if err != nil {
		return auth.Device{}, fmt.Errorf("redisstore: device store: verify: %w", err)
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

func (s *DeviceStore) get(ctx context.Context, id string) (deviceRecord, bool, error) {
	var rec deviceRecord
	found, err := getJSON(ctx, s.c, s.devices, id, &rec)
	return rec, found, err
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
	var stored time.Time
	err := s.update(ctx, id, func(rec *deviceRecord) bool {
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

// List implements auth.DeviceStore.
func (s *DeviceStore) List(ctx context.Context) ([]auth.Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs, err := allJSON[deviceRecord](ctx, s.c, s.devices)
	if err != nil {
		return nil, fmt.Errorf("redisstore: device store: list: %w", err)
	}
	out := make([]auth.Device, 0, len(recs))
	for _, rec := range recs {
		out = append(out, s.seen.Apply(rec.device()))
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
	return s.update(ctx, id, func(rec *deviceRecord) bool {
		changed := rec.Board != b.Board || rec.Playlist != b.Playlist
		rec.Board, rec.Playlist = b.Board, b.Playlist
		return changed
	})
}

// Revoke implements auth.DeviceStore; the record stays, so the display learns it was
// unlinked (auth.ErrRevoked) rather than never known.
func (s *DeviceStore) Revoke(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(ctx, id, func(rec *deviceRecord) bool {
		changed := !rec.Revoked
		rec.Revoked = true
		return changed
	})
}

// update applies change to device id's record (see updateJSON): two replicas changing
// one device never lose either change.
func (s *DeviceStore) update(ctx context.Context, id string, change func(*deviceRecord) bool) error {
	err := updateJSON(ctx, s.c, s.devices, id, func(rec *deviceRecord, found bool) error {
		if !found {
			return auth.ErrUnknownDevice
		}
		if !change(rec) {
			return errSkip
		}
		return nil
	})
	if errors.Is(err, auth.ErrUnknownDevice) {
		return err
	}
	if err != nil {
		return fmt.Errorf("redisstore: device store: %w", err)
	}
	return nil
}
