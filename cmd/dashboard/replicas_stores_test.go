package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/redistest"
)

// TestReplicasShareAnnouncementsPlaylistsBoards: an announcement posted on replica A
// is active on replica B (its walls), a playlist saved on A is listed on B's screens
// page, and a board made on A's /admin/boards is served by B — all through Redis, B
// told by the change notification.
func TestReplicasShareAnnouncementsPlaylistsBoards(t *testing.T) {
	t.Parallel()
	a, b := twoReplicas(t)
	c := browser(t)
	signIn(t, c, a.base, "ada", "correct horse battery")
	_, page := fetch(t, c, http.MethodGet, a.base+"/admin/screens", nil)
	tok := csrfInput.FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("screens page without CSRF token: %.300s", page)
	}
	form := url.Values{"csrf_token": {tok[1]}, "text": {"Huddle by the window at 3"}, "level": {"info"}, "boards": {"demo"}, "expires_in": {"1h"}}
	if code, body := fetch(t, c, http.MethodPost, a.base+"/boards/demo/announcements", form); code != http.StatusSeeOther && code != http.StatusOK {
		t.Fatalf("post on A: %d %.300s", code, body)
	}
	pl := url.Values{"csrf_token": {tok[1]}, "id": {"floor-rota"}, "title": {"Floor rota"}, "entries": {"demo 30s"}}
	if code, body := fetch(t, c, http.MethodPost, a.base+"/admin/playlists", pl); code != http.StatusSeeOther && code != http.StatusOK {
		t.Fatalf("playlist on A: %d %.300s", code, body)
	}
	board := url.Values{"csrf_token": {tok[1]}, "id": {"sales"}, "title": {"Sales edited on A"}, "public": {"1"}}
	if code, body := fetch(t, c, http.MethodPost, a.base+"/admin/boards", board); code != http.StatusSeeOther {
		t.Fatalf("board on A: %d %.300s", code, body)
	}
	until(t, "the announcement on B", func() bool {
		_, body := fetch(t, c, http.MethodGet, b.base+"/api/v1/announcements", nil)
		return strings.Contains(body, "Huddle by the window at 3")
	})
	until(t, "the playlist on B's screens page", func() bool {
		_, body := fetch(t, c, http.MethodGet, b.base+"/admin/screens", nil)
		return strings.Contains(body, "Floor rota")
	})
	until(t, "the edited board on B", func() bool {
		code, body := fetch(t, browser(t), http.MethodGet, b.base+"/wall/sales", nil)
		return code == http.StatusOK && strings.Contains(body, "Sales edited on A")
	})
}

// until polls cond with a deadline generous for a loaded machine.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// twoReplicas starts two replicas on one real redis-server, with admin ada (password
// "correct horse battery") and fast lease settings.
func twoReplicas(t *testing.T) (a, b *runningApp) {
	t.Helper()
	srv := redistest.Start(t)
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf("redis_url: %s\ncluster: {lease_ttl: 2s, heartbeat: 200ms}\nusers:\n  - {name: ada, role: admin, password_hash: %q}\n", srv.URL(), hash)
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	a = startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "a")}, os.Getenv)
	b = startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "b")}, os.Getenv)
	return a, b
}
