package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// Devices runs the auth.DeviceStore contract against stores made by newStore (a new,
// empty store per call; cleanup is newStore's).
func Devices(t *testing.T, newStore func(t *testing.T) auth.DeviceStore) {
	t.Run("Verify", func(t *testing.T) { devicesVerify(t, newStore) })
	t.Run("ListAndTouch", func(t *testing.T) { devicesListAndTouch(t, newStore(t)) })
	t.Run("CreateValidates", func(t *testing.T) { devicesCreateValidates(t, newStore(t)) })
	t.Run("Bind", func(t *testing.T) { devicesBind(t, newStore(t)) })
	t.Run("CanceledContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, _, err := newStore(t).Create(ctx, "lobby", "TV"); !errors.Is(err, context.Canceled) {
			t.Errorf("Create with canceled ctx = %v, want context.Canceled", err)
		}
	})
}

func devicesVerify(t *testing.T, newStore func(t *testing.T) auth.DeviceStore) {
	ctx := t.Context()
	s := newStore(t)
	live, liveSecret, err := s.Create(ctx, "lobby", "Lobby TV")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(liveSecret, auth.DeviceSecretPrefix) || live.ID == "" || live.Board != "lobby" || live.Name != "Lobby TV" {
		t.Fatalf("Create = %+v", live)
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
	// Well-formed but never issued by this store.
	_, stranger, err := newStore(t).Create(ctx, "lobby", "x")
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
		{"revoked", deadSecret, dead.ID, auth.ErrRevoked},
		{"issued elsewhere", stranger, "", auth.ErrUnknownToken},
		{"empty", "", "", auth.ErrUnknownToken},
		{"no prefix", strings.TrimPrefix(liveSecret, auth.DeviceSecretPrefix), "", auth.ErrUnknownToken},
		{"truncated", liveSecret[:len(liveSecret)-1], "", auth.ErrUnknownToken},
		{"extended", liveSecret + "A", "", auth.ErrUnknownToken},
		{"padding", liveSecret + "=", "", auth.ErrUnknownToken},
		{"garbage", "dev_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", "", auth.ErrUnknownToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
	if err := s.Revoke(ctx, "nope"); !errors.Is(err, auth.ErrUnknownDevice) {
		t.Errorf("Revoke(unknown) = %v, want ErrUnknownDevice", err)
	}
}

func devicesListAndTouch(t *testing.T, s auth.DeviceStore) {
	ctx := t.Context()
	a, _, err := s.Create(ctx, "lobby", "A")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.Create(ctx, "ops", "B")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	seen := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	if err := s.Touch(ctx, a.ID, seen); err != nil {
		t.Fatal(err)
	}
	// Within TouchInterval: maybe not written, but visible.
	if err := s.Touch(ctx, a.ID, seen.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	// An older touch never moves LastSeen back.
	if err := s.Touch(ctx, a.ID, seen.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("List = %+v, want 2 devices", list)
	}
	if !slices.IsSortedFunc(list, func(x, y auth.Device) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	}) {
		t.Errorf("List = %+v, want oldest first (then by id)", list)
	}
	byID := map[string]auth.Device{list[0].ID: list[0], list[1].ID: list[1]}
	if got, want := byID[a.ID].LastSeen, seen.Add(30*time.Second); !got.Equal(want) {
		t.Errorf("A LastSeen = %v, want %v", got, want)
	}
	if byID[a.ID].Revoked || !byID[b.ID].Revoked || !byID[b.ID].LastSeen.IsZero() {
		t.Errorf("List = %+v, want A active, B revoked and never seen", list)
	}
	if err := s.Touch(ctx, "nope", seen); !errors.Is(err, auth.ErrUnknownDevice) {
		t.Errorf("Touch(unknown) = %v, want ErrUnknownDevice", err)
	}
}

func devicesCreateValidates(t *testing.T, s auth.DeviceStore) {
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
			if _, _, err := s.Create(t.Context(), tt.board, tt.devName); !errors.Is(err, auth.ErrInvalidDevice) {
				t.Errorf("Create(%q, %q) err = %v, want ErrInvalidDevice", tt.board, tt.devName, err)
			}
		})
	}
	list, err := s.List(t.Context())
	if err != nil || len(list) != 0 {
		t.Errorf("List after invalid creates = %v, %v; want empty", list, err)
	}
}

// devicesBind: a device moves between boards and playlists with the same token.
func devicesBind(t *testing.T, s auth.DeviceStore) {
	ctx := t.Context()
	d, secret, err := s.Create(ctx, "lobby", "TV")
	if err != nil {
		t.Fatal(err)
	}
	steps := []auth.Binding{{Playlist: "floor"}, {Board: "sales"}}
	for _, b := range steps {
		if err := s.Bind(ctx, d.ID, b); err != nil {
			t.Fatalf("Bind(%+v) = %v", b, err)
		}
		got, err := s.Verify(ctx, secret)
		if err != nil || got.Board != b.Board || got.Playlist != b.Playlist {
			t.Errorf("after Bind(%+v): Verify = %+v, %v", b, got, err)
		}
	}
	for _, bad := range []auth.Binding{{}, {Board: "a", Playlist: "b"}, {Playlist: "a/b"}} {
		if err := s.Bind(ctx, d.ID, bad); !errors.Is(err, auth.ErrInvalidDevice) {
			t.Errorf("Bind(%+v) = %v, want ErrInvalidDevice", bad, err)
		}
	}
	if err := s.Bind(ctx, "nope", auth.Binding{Board: "x"}); !errors.Is(err, auth.ErrUnknownDevice) {
		t.Errorf("Bind(unknown) = %v, want ErrUnknownDevice", err)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].Board != "sales" || list[0].Playlist != "" {
		t.Errorf("List = %+v, %v; want the device on board sales", list, err)
	}
}
