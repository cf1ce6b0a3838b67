package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

// TestEmbedURLLinksRevokedOneByOne: two links printed by `dashboard embed-url` each get
// a key id; once used they are listed on /admin/embeds, and revoking one there leaves
// the other working.
func TestEmbedURLLinksRevokedOneByOne(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	path, _ := writeUsersConfig(t, dataDir)
	adminPW := "admin-password-77c1"
	h, err := auth.HashPassword(adminPW)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	cfg := strings.Replace(string(raw), "users:\n", "users:\n  - {name: admin, role: admin, password_hash: \""+h+"\"}\n", 1)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var links []*url.URL
	for range 2 {
		var out bytes.Buffer
		if err := runEmbedURL([]string{"--config", path, "--board", "lobby"}, func(string) string { return "" }, time.Now(), &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(strings.TrimSpace(out.String()))
		if err != nil {
			t.Fatal(err)
		}
		links = append(links, u)
	}
	app := startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0"}, func(string) string { return "" })
	anon := browser(t)
	for _, u := range links {
		if code, _ := fetch(t, anon, "GET", app.base+u.RequestURI(), nil); code != http.StatusOK {
			t.Fatalf("embed link: got %d", code)
		}
	}
	adm := browser(t)
	signIn(t, adm, app.base, "admin", adminPW)
	_, page := fetch(t, adm, "GET", app.base+"/admin/embeds", nil)
	ids := regexp.MustCompile(`data-link="([0-9a-f]{16})"`).FindAllStringSubmatch(page, -1)
	if len(ids) != 2 || ids[0][1] == ids[1][1] {
		t.Fatalf("/admin/embeds lists %d links (%v), want the 2 used, with distinct ids", len(ids), ids)
	}
	tok := csrfInput.FindStringSubmatch(page)[1]
	if code, _ := fetch(t, adm, "POST", app.base+"/admin/embeds/"+ids[0][1]+"/revoke", url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther {
		t.Fatalf("revoke: got %d", code)
	}
	codes := map[int]int{}
	for _, u := range links {
		code, _ := fetch(t, anon, "GET", app.base+u.RequestURI(), nil)
		codes[code]++
	}
	if codes[http.StatusOK] != 1 || codes[http.StatusForbidden] != 1 {
		t.Errorf("after revoking one of two links: statuses %v, want one 200 and one 403", codes)
	}
}
