package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// startRedis runs a throwaway redis-server on a free loopback port for the test.
// CI installs redis-server (.ci/run); locally a missing binary is a clear failure,
// never a skip, so a green run always means the replica path was exercised.
func startRedis(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server not found: install it (apt-get install redis-server) to run the replica tests")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not listen: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestReplicasShareSessionsInRedis: two replicas with the same redis_url behind a load
// balancer — a manager signs in on one and is signed in on the other.
func TestReplicasShareSessionsInRedis(t *testing.T) {
	t.Parallel()
	redisURL := startRedis(t)
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("redis_url: %s\nusers:\n  - {name: mia, role: manager, password_hash: %q}\n", redisURL, hash)
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "a")}, os.Getenv)
	b := startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "b")}, os.Getenv)

	c := browser(t) // cookies ignore ports: one jar talks to both replicas like a browser behind one host
	if code, _ := fetch(t, c, http.MethodGet, b.base+"/boards/demo", nil); code == http.StatusOK {
		t.Fatal("replica b served a private board before sign-in")
	}
	signIn(t, c, a.base, "mia", "correct horse battery")
	if code, body := fetch(t, c, http.MethodGet, b.base+"/boards/demo", nil); code != http.StatusOK {
		t.Fatalf("session from replica a not valid on replica b: %d %.200s", code, body)
	}
}
