package auth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTestStore(t *testing.T, path string) *BoltStore {
	t.Helper()
	s, err := OpenBoltStore(path)
	if err != nil {
		t.Fatalf("OpenBoltStore: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDeviceTokenSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "data", "devices.db")
	s, err := OpenBoltStore(path)
	if err != nil {
		t.Fatal(err)
	}
	d, secret, err := s.Create(ctx, "lobby", "Floor 2 TV")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, DeviceSecretPrefix) || d.ID == "" || d.Board != "lobby" || d.Name != "Floor 2 TV" {
		t.Fatalf("Create = %+v, secret %q...", d, secret[:4])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openTestStore(t, path)
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
	if bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, []byte(strings.TrimPrefix(secret, DeviceSecretPrefix))) {
		t.Error("store file contains the device secret")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("store file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestDeviceVerify(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openTestStore(t, filepath.Join(t.TempDir(), "devices.db"))
	live, liveSecret, err := s.Create(ctx, "lobby", "Lobby TV")
	if err != nil {
		t.Fatal(err)
	}
	dead, deadSecret, err := s.Create(ctx, "ops", "Old TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, dead.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, dead.ID); err != nil {
		t.Errorf("second Revoke = %v, want nil", err)
	}
	// Well-formed but never issued.
	_, stranger, err := openTestStore(t, filepath.Join(t.TempDir(), "other.db")).Create(ctx, "lobby", "x")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		secret  string
		wantID  string
		wantErr error
	}{
		{"live", liveSecret, live.ID, nil},
		{"revoked", deadSecret, dead.ID, ErrRevoked},
		{"issued elsewhere", stranger, "", ErrUnknownToken},
		{"empty", "", "", ErrUnknownToken},
		{"no prefix", strings.TrimPrefix(liveSecret, DeviceSecretPrefix), "", ErrUnknownToken},
		{"truncated", liveSecret[:len(liveSecret)-1], "", ErrUnknownToken},
		{"extended", liveSecret + "A", "", ErrUnknownToken},
		{"padding", liveSecret + "=", "", ErrUnknownToken},
		{"garbage", "dev_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "", ErrUnknownToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := s.Verify(ctx, tt.secret)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify err = %v, want %v", err, tt.wantErr)
			}
			if d.ID != tt.wantID {
				t.Errorf("Verify device ID = %q, want %q", d.ID, tt.wantID)
			}
			if err != nil && tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
	if err := s.Revoke(ctx, "nope"); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("Revoke(unknown) = %v, want ErrUnknownDevice", err)
	}
}

func TestDeviceListAndTouch(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "devices.db")
	s := openTestStore(t, path)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return t0 }
	a, _, err := s.Create(ctx, "lobby", "A")
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return t0.Add(time.Second) }
	b, _, err := s.Create(ctx, "ops", "B")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, b.ID); err != nil {
		t.Fatal(err)
	}

	seen := t0.Add(time.Hour)
	if err := s.Touch(ctx, a.ID, seen); err != nil {
		t.Fatal(err)
	}
	// Within TouchInterval: visible in List, but not written.
	if err := s.Touch(ctx, a.ID, seen.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("List = %+v, want [A, B] oldest first", list)
	}
	if got, want := list[0].LastSeen, seen.Add(30*time.Second); !got.Equal(want) {
		t.Errorf("A LastSeen = %v, want %v", got, want)
	}
	if list[0].Revoked || !list[1].Revoked || !list[1].LastSeen.IsZero() {
		t.Errorf("List = %+v, want A active, B revoked and never seen", list)
	}
	if err := s.Touch(ctx, "nope", seen); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("Touch(unknown) = %v, want ErrUnknownDevice", err)
	}
	if got := onDiskLastSeen(t, s, a.ID); !got.Equal(seen) {
		t.Errorf("on-disk LastSeen after throttled touch = %v, want %v (first touch only)", got, seen)
	}
	// After TouchInterval the next touch is written.
	later := seen.Add(TouchInterval + time.Second)
	if err := s.Touch(ctx, a.ID, later); err != nil {
		t.Fatal(err)
	}
	if got := onDiskLastSeen(t, s, a.ID); !got.Equal(later) {
		t.Errorf("on-disk LastSeen = %v, want %v", got, later)
	}
	// An out-of-order (older) touch never moves LastSeen back.
	if err := s.Touch(ctx, a.ID, t0); err != nil {
		t.Fatal(err)
	}
	if got := onDiskLastSeen(t, s, a.ID); !got.Equal(later) {
		t.Errorf("on-disk LastSeen after older touch = %v, want %v", got, later)
	}
}

// onDiskLastSeen reads the record bypassing the in-memory overlay.
func onDiskLastSeen(t *testing.T, s *BoltStore, id string) time.Time {
	t.Helper()
	var rec deviceRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		r, ok, err := getRecord(tx.Bucket(bucketDevices), id)
		if !ok && err == nil {
			err = ErrUnknownDevice
		}
		rec = r
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec.LastSeen
}

func TestDeviceCreateValidates(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, filepath.Join(t.TempDir(), "devices.db"))
	tests := []struct{ name, board, devName string }{
		{"empty board", "", "TV"},
		{"board with slash", "a/b", "TV"},
		{"board with space", "a b", "TV"},
		{"board too long", strings.Repeat("b", 65), "TV"},
		{"empty name", "lobby", "  "},
		{"name too long", "lobby", strings.Repeat("n", 101)},
		{"name with newline", "lobby", "TV\nX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := s.Create(t.Context(), tt.board, tt.devName); !errors.Is(err, ErrInvalidDevice) {
				t.Errorf("Create(%q, %q) err = %v, want ErrInvalidDevice", tt.board, tt.devName, err)
			}
		})
	}
	list, err := s.List(t.Context())
	if err != nil || len(list) != 0 {
		t.Errorf("List after invalid creates = %v, %v; want empty", list, err)
	}
}

func TestDeviceStoreCanceledContext(t *testing.T) {
	t.Parallel()
	s := openTestStore(t, filepath.Join(t.TempDir(), "devices.db"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := s.Create(ctx, "lobby", "TV"); !errors.Is(err, context.Canceled) {
		t.Errorf("Create with canceled ctx = %v, want context.Canceled", err)
	}
}

// bbolt locks the file: a second opener fails with a clear error instead of hanging.
func TestBoltStoreSecondOpenFails(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "devices.db")
	openTestStore(t, path)
	s2, err := OpenBoltStore(path)
	if err == nil {
		s2.Close()
		t.Fatal("second OpenBoltStore succeeded, want a lock error")
	}
	if !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("err = %v, want it to say the file is in use", err)
	}
}
