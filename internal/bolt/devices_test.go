package bolt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/storetest"
)

func openTestDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newTestDevices(t *testing.T) *DeviceStore {
	t.Helper()
	s, err := NewDeviceStore(openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDevicesContract(t *testing.T) {
	t.Parallel()
	storetest.Devices(t, func(t *testing.T) auth.DeviceStore { return newTestDevices(t) })
}

func TestDeviceTokenSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "data", "ccdash.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewDeviceStore(db)
	if err != nil {
		t.Fatal(err)
	}
	d, secret, err := s.Create(ctx, "lobby", "Floor 2 TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := NewDeviceStore(openTestDB(t, path))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Verify(ctx, secret)
	if err != nil {
		t.Fatalf("Verify after reopen: %v", err)
	}
	if got.ID != d.ID || got.Board != "lobby" || !got.CreatedAt.Equal(d.CreatedAt) {
		t.Errorf("Verify = %+v, want %+v", got, d)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, []byte(strings.TrimPrefix(secret, auth.DeviceSecretPrefix))) {
		t.Error("store file contains the device secret")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("store file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

// Touches within TouchInterval stay in memory; the next one after it is written.
func TestDeviceTouchWritesAtMostOncePerInterval(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := newTestDevices(t)
	a, _, err := s.Create(ctx, "lobby", "A")
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{seen, seen.Add(30 * time.Second)} {
		if err := s.Touch(ctx, a.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	if got := onDiskLastSeen(t, s, a.ID); !got.Equal(seen) {
		t.Errorf("on-disk LastSeen after throttled touch = %v, want %v (first touch only)", got, seen)
	}
	later := seen.Add(auth.TouchInterval + time.Second)
	if err := s.Touch(ctx, a.ID, later); err != nil {
		t.Fatal(err)
	}
	if got := onDiskLastSeen(t, s, a.ID); !got.Equal(later) {
		t.Errorf("on-disk LastSeen = %v, want %v", got, later)
	}
}

// onDiskLastSeen reads the record bypassing the in-memory overlay.
func onDiskLastSeen(t *testing.T, s *DeviceStore, id string) time.Time {
	t.Helper()
	var rec deviceRecord
	err := s.db.View(func(tx *bbolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketDevices), id, &rec)
		if !ok && err == nil {
			err = auth.ErrUnknownDevice
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec.LastSeen
}

// bbolt locks the file: a second opener fails with a clear error instead of hanging.
func TestSecondOpenFails(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ccdash.db")
	openTestDB(t, path)
	db2, err := Open(path)
	if err == nil {
		db2.Close()
		t.Fatal("second Open succeeded, want a lock error")
	}
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want ErrInUse naming the file", err)
	}
}
