package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
)

// writeUsersConfig writes a config with a manager and a private board lobby on the
// demo simulator, and returns its path and the manager's password.
func writeUsersConfig(t *testing.T, dataDir string) (string, string) {
	t.Helper()
	pw := "manager-password-4e1d"
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	config := "data_dir: " + dataDir + "\nusers:\n  - {name: manager, role: manager, password_hash: \"" + h + "\"}\n" +
		"boards:\n  - {id: lobby, title: Lobby}\n"
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, pw
}

// TestSignedInSessionSurvivesRestart: without redis_url, sessions are kept in data_dir,
// so a manager stays signed in across a restart.
func TestSignedInSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	path, pw := writeUsersConfig(t, t.TempDir())
	args := []string{"--config", path, "--addr", "127.0.0.1:0"}
	noEnv := func(string) string { return "" }
	c := browser(t)

	first := startApp(t, args, noEnv)
	signIn(t, c, first.base, "manager", pw)
	if code, _ := fetch(t, c, "GET", first.base+"/boards/lobby", nil); code != http.StatusOK {
		t.Fatalf("board after sign-in: got %d", code)
	}
	first.stop()

	second := startApp(t, args, noEnv)
	if code, _ := fetch(t, c, "GET", second.base+"/boards/lobby", nil); code != http.StatusOK {
		t.Errorf("board after restart: got %d, want 200 (still signed in)", code)
	}
}
