package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGHUPInvalidConfigKeepsTheOldOne: a SIGHUP with a broken file logs why, naming
// the key, and the server goes on serving the config it started with.
func TestSIGHUPInvalidConfigKeepsTheOldOne(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte("boards:\n  - {id: floor, public: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	app := startApp(t, []string{"--addr", "127.0.0.1:0", "--config", path, "--data-dir", filepath.Join(dir, "state")}, env(nil))
	if err := os.WriteFile(path, []byte("boards:\n  - {id: Floor, public: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(app.stderr.String(), "reload refused") {
		if time.Now().After(deadline) {
			t.Fatalf("no reload refusal logged within 30s:\n%s", app.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if log := app.stderr.String(); !strings.Contains(log, "boards[0].id") {
		t.Errorf("the refusal does not name boards[0].id:\n%s", log)
	}
	for _, p := range []string{"/healthz", "/wall/floor"} {
		resp, err := http.Get(app.base + p)
		if err != nil {
			t.Fatalf("%s after the refused reload: %v", p, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s after the refused reload: %d, want 200 from the old config", p, resp.StatusCode)
		}
	}
}
