package main

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

func TestHashPasswordCmd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stdin, wantPW string
		wantErr             error
	}{
		{"line with newline", "hunter22\n", "hunter22", nil},
		{"CRLF", "hunter22\r\n", "hunter22", nil},
		{"no newline", "hunter22", "hunter22", nil},
		{"only first line", "first\nsecond\n", "first", nil},
		{"spaces kept", " pass word \n", " pass word ", nil},
		{"empty", "\n", "", auth.ErrEmptyPassword},
		{"too long", strings.Repeat("p", 73) + "\n", "", auth.ErrPasswordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := hashPasswordCmd(strings.NewReader(tt.stdin), &out)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("hashPasswordCmd err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if out.Len() != 0 {
					t.Errorf("wrote %q on error", out.String())
				}
				return
			}
			h := strings.TrimSuffix(out.String(), "\n")
			if err := bcrypt.CompareHashAndPassword([]byte(h), []byte(tt.wantPW)); err != nil {
				t.Errorf("printed hash %q does not verify %q: %v", h, tt.wantPW, err)
			}
			if strings.Contains(out.String(), strings.TrimSpace(tt.wantPW)) {
				t.Errorf("output %q contains the password", out.String())
			}
		})
	}
}

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := bolt.NewDeviceStore(db)
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := tokenCreateCmd(ctx, s, auth.Binding{Board: "lobby"}, "lobby", "Floor 2 TV", "https://dash.example.com/", &out); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`https://\S+`).FindString(out.String())
	u, err := url.Parse(link)
	if err != nil || u.Path != "/wall/lobby" {
		t.Fatalf("printed URL %q, want https://dash.example.com/wall/lobby?device=...", link)
	}
	d, err := s.Verify(ctx, u.Query().Get("device"))
	if err != nil {
		t.Fatalf("the printed URL's device secret does not verify: %v", err)
	}
	if !strings.Contains(out.String(), d.ID) {
		t.Errorf("output %q does not name the device id %s", out.String(), d.ID)
	}

	out.Reset()
	if err := tokenCreateCmd(ctx, s, auth.Binding{Board: "lobby"}, "lobby", "TV", "not a url", &out); err == nil {
		t.Error("tokenCreateCmd with a bad base URL succeeded")
	}
	if list, _ := s.List(ctx); len(list) != 1 {
		t.Errorf("%d devices after a failed create, want 1 (nothing created)", len(list))
	}

	if err := tokenRevokeCmd(ctx, s, d.ID, &out); err != nil {
		t.Fatal(err)
	}
	if err := tokenRevokeCmd(ctx, s, "nope", &out); !errors.Is(err, auth.ErrUnknownDevice) {
		t.Errorf("tokenRevokeCmd(unknown) = %v, want auth.ErrUnknownDevice", err)
	}

	out.Reset()
	if err := tokenListCmd(ctx, s, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], d.ID) || !strings.Contains(lines[1], "revoked") ||
		!strings.Contains(lines[1], `"Floor 2 TV"`) || !strings.Contains(lines[1], "never") {
		t.Errorf("tokenListCmd output:\n%s\nwant a header and one revoked, never-seen row for %s", out.String(), d.ID)
	}
	if strings.Contains(out.String(), auth.DeviceSecretPrefix) {
		t.Error("token list shows a secret")
	}
}

// TestTokenCreateForAPlaylist: a device on a playlist opens on the playlist's first
// board and is bound to the playlist; the list says so.
func TestTokenCreateForAPlaylist(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := bolt.NewDeviceStore(db)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := tokenCreateCmd(ctx, s, auth.Binding{Playlist: "floor"}, "lobby", "Cycle TV", "https://dash.example.com/", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "for playlist floor") || !strings.Contains(out.String(), "/wall/lobby?device=") {
		t.Errorf("playlist device output %q", out.String())
	}
	if list, _ := s.List(ctx); len(list) != 1 || list[0].Playlist != "floor" {
		t.Errorf("devices = %+v, want one bound to playlist floor", list)
	}
	out.Reset()
	if err := tokenListCmd(ctx, s, &out); err != nil || !strings.Contains(out.String(), "playlist:floor") {
		t.Errorf("token list = %q, %v; want the playlist shown", out.String(), err)
	}
}

// TestTokenCreatePlaylistFlag: --playlist takes a playlist of the config file, and
// refuses one that does not exist or is given with --board.
func TestTokenCreatePlaylistFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ccdash.yaml")
	yaml := "boards: [{id: sales}, {id: support}]\nplaylists:\n  - id: floor\n    boards: [{board: support}, {board: sales}]\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(t.Context(), append([]string{"token", "create", "--config", cfg, "--data-dir", filepath.Join(dir, "data"), "--name", "TV"}, args...), func(string) string { return "" }, nil, &out, io.Discard)
		return out.String(), err
	}
	if out, err := cmd("--playlist", "floor"); err != nil || !strings.Contains(out, "for playlist floor") || !strings.Contains(out, "/wall/support?device=") {
		t.Errorf("--playlist floor: %q, %v", out, err)
	}
	if _, err := cmd("--playlist", "nope"); err == nil || !strings.Contains(err.Error(), `no playlist "nope"`) {
		t.Errorf("--playlist nope: %v", err)
	}
	if _, err := cmd("--playlist", "floor", "--board", "sales"); err == nil {
		t.Error("--playlist with --board accepted")
	}
}
