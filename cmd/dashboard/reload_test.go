package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
)

// reloadApp is a server started on a config file the test rewrites, with an admin.
type reloadApp struct {
	*runningApp
	path string
	pw   string
	head string // the config's first lines: data_dir and the admin
}

// startReloadApp writes boards (YAML under "boards:") and starts the demo on it.
func startReloadApp(t *testing.T, boards string) *reloadApp {
	t.Helper()
	dir := t.TempDir()
	pw := "admin-password-5c2e"
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	a := &reloadApp{path: filepath.Join(dir, "ccdash.yaml"), pw: pw,
		head: "data_dir: " + filepath.Join(dir, "state") + "\nusers:\n  - {name: admin, role: admin, password_hash: \"" + h + "\"}\n"}
	a.write(t, boards)
	a.runningApp = startApp(t, []string{"--addr", "127.0.0.1:0", "--config", a.path}, env(nil))
	return a
}

func (a *reloadApp) write(t *testing.T, rest string) {
	t.Helper()
	if err := os.WriteFile(a.path, []byte(a.head+rest), 0o600); err != nil {
		t.Fatal(err)
	}
}

// hangup sends this process SIGHUP (every app running in it re-reads its file; a
// file nobody changed applies as it was) and waits for log to appear on stderr.
func (a *reloadApp) hangup(t *testing.T, log string) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(a.stderr.String(), log) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q logged within 30s:\n%s", log, a.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// adminPage signs in as the admin and returns /admin/config.
func (a *reloadApp) adminPage(t *testing.T, c *http.Client) string {
	t.Helper()
	signIn(t, c, a.base, "admin", a.pw)
	code, page := fetch(t, c, "GET", a.base+"/admin/config", nil)
	if code != http.StatusOK {
		t.Fatalf("/admin/config: %d %.300s", code, page)
	}
	return page
}

// TestSIGHUPChangedThresholdRerendersOpenWall: an open wall's socket receives the
// board re-rendered with the new threshold after SIGHUP, on the same connection.
func TestSIGHUPChangedThresholdRerendersOpenWall(t *testing.T) {
	t.Parallel()
	a := startReloadApp(t, "boards:\n  - {id: floor, public: true}\n")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(a.base, "http") + "/ws?board=floor&view=wall"
	c, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", ws, err)
	}
	defer c.CloseNow()
	c.SetReadLimit(4 << 20)
	if _, first, err := c.Read(ctx); err != nil || !strings.Contains(string(first), `id="tile-freshness"`) {
		t.Fatalf("first message: %v %.200q", err, first)
	}

	// stale_after is a board threshold every wall carries in its freshness tile.
	a.write(t, "boards:\n  - {id: floor, public: true, thresholds: {stale_after: 77s}}\n")
	a.hangup(t, "reload applied")
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("the open socket ended instead of re-rendering: %v (close status %d)", err, websocket.CloseStatus(err))
		}
		if strings.Contains(string(msg), `data-stale-after="77000"`) {
			break
		}
	}
	if code, page := fetch(t, http.DefaultClient, "GET", a.base+"/wall/floor", nil); code != http.StatusOK || !strings.Contains(page, `data-stale-after="77000"`) {
		t.Errorf("/wall/floor after the reload: %d, without the new threshold", code)
	}
}

// TestSIGHUPInvalidConfigKeepsTheOldOne: a SIGHUP with a broken file logs why, naming
// the key, the server goes on serving the config it started with, and the admin page
// shows the refusal with the same message.
func TestSIGHUPInvalidConfigKeepsTheOldOne(t *testing.T) {
	t.Parallel()
	a := startReloadApp(t, "boards:\n  - {id: floor, public: true}\n")
	a.write(t, "boards:\n  - {id: Floor, public: true}\n")
	a.hangup(t, "reload refused")
	if log := a.stderr.String(); !strings.Contains(log, "boards[0].id") {
		t.Errorf("the refusal does not name boards[0].id:\n%s", log)
	}
	for _, p := range []string{"/healthz", "/wall/floor"} {
		if code, _ := fetch(t, http.DefaultClient, "GET", a.base+p, nil); code != http.StatusOK {
			t.Errorf("%s after the refused reload: %d, want 200 from the old config", p, code)
		}
	}
	page := a.adminPage(t, browser(t))
	for _, want := range []string{`data-testid="reload-status"`, "Refused", "config: boards[0].id: "} {
		if !strings.Contains(page, want) {
			t.Errorf("/admin/config does not show %q:\n%s", want, page)
		}
	}
}

// TestAdminReloadButton: the admin page's button (a CSRF-protected POST, admins only)
// applies a new board and log level at once, and lists a changed restart-only key as
// waiting for a restart while its running value stays.
func TestAdminReloadButton(t *testing.T) {
	t.Parallel()
	a := startReloadApp(t, "boards:\n  - {id: floor, public: true}\n")
	c := browser(t)
	page := a.adminPage(t, c)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on /admin/config:\n%s", page)
	}
	if code, _ := fetch(t, http.DefaultClient, "GET", a.base+"/wall/second", nil); code != http.StatusNotFound {
		t.Fatalf("/wall/second before the reload: %d, want 404", code)
	}
	// (Written after that check: another test's SIGHUP reloads this app too.)
	a.write(t, "log_level: debug\nmetrics_token: a-new-token-for-metrics\nboards:\n  - {id: floor, public: true}\n  - {id: second, public: true}\n")
	if code, _ := fetch(t, c, "POST", a.base+"/admin/config/reload", url.Values{}); code != http.StatusForbidden {
		t.Errorf("reload without the CSRF token: %d, want 403", code)
	}
	if code, body := fetch(t, c, "POST", a.base+"/admin/config/reload", url.Values{"csrf_token": {m[1]}}); code != http.StatusSeeOther {
		t.Fatalf("reload button: %d %.300s, want 303", code, body)
	}
	if code, _ := fetch(t, http.DefaultClient, "GET", a.base+"/wall/second", nil); code != http.StatusOK {
		t.Errorf("/wall/second after the reload: %d, want 200", code)
	}
	_, page = fetch(t, c, "GET", a.base+"/admin/config", nil)
	for _, want := range []string{"Applied", "boards: 2", "log_level: debug", `data-testid="reload-restart"`, "<code>metrics_token</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("/admin/config after the button does not show %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<code>log_level</code>") {
		t.Error("log_level listed as waiting for a restart; a reload applies it")
	}
	if strings.Contains(page, "a-new-token-for-metrics") {
		t.Error("/admin/config shows the metrics token's value")
	}
	anon := browser(t)
	if code, _ := fetch(t, anon, "GET", a.base+"/admin/config", nil); code == http.StatusOK {
		t.Error("/admin/config opens without signing in")
	}
}

// c100Source is a Comm100 source block with id and api key.
func c100Source(id, key string) string {
	return "  - {id: " + id + ", kind: comm100, comm100: {base_url: \"https://api15.comm100.io/v4\", site_id: 10000, email: w@example.com, api_key: " + key + "}}\n"
}

// TestReloadPlansOnlyWhatChanged: a reload restarts the changed and new sources only,
// removes the gone one, and names (never shows) a changed restart-only key while
// keeping its running value.
func TestReloadPlansOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	write := func(y string) *Config {
		t.Helper()
		if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := LoadConfig(path, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cur := write("metrics_token: old-metrics-token-0001\nsources:\n" + c100Source("same", "k1") + c100Source("changed", "k2") + c100Source("gone", "k3"))
	rl := &reloader{path: path, getenv: env(nil), cur: cur, dataDir: t.TempDir()}
	write("metrics_token: new-metrics-token-0002\nsources:\n" + c100Source("same", "k1") + c100Source("changed", "k2-new") + c100Source("added", "k4"))
	p, err := rl.prepare()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.restartIDs, ","); got != "changed,added" {
		t.Errorf("restarted %q, want changed,added", got)
	}
	if got := strings.Join(p.remove, ","); got != "gone" || p.keptSources != 1 {
		t.Errorf("removed %q and kept %d, want gone and 1", got, p.keptSources)
	}
	if len(p.restart) != 2 || p.restart[0].Source.ID() != "changed" {
		t.Errorf("built %d sources to restart, want changed and added", len(p.restart))
	}
	if got := strings.Join(p.needRestart, ","); got != "metrics_token" {
		t.Errorf("restart-only keys %q, want metrics_token", got)
	}
	if p.next.MetricsToken != "old-metrics-token-0001" {
		t.Errorf("metrics_token after the plan is %q, want the running value", p.next.MetricsToken)
	}

	write("sources: []\n")
	if p, err = rl.prepare(); err != nil {
		t.Fatal(err)
	}
	if len(p.restart)+len(p.remove) != 0 || !strings.Contains(strings.Join(p.needRestart, ","), "demo") {
		t.Errorf("dropping every source: restart %d, remove %d, needRestart %q; want a restart asked for",
			len(p.restart), len(p.remove), p.needRestart)
	}
}

// TestSIGHUPAppliesPlaylists: a reloaded config's playlists replace the running ones
// (their screens take the new turns without a restart); the screens page lists them.
func TestSIGHUPAppliesPlaylists(t *testing.T) {
	t.Parallel()
	const boards = "boards:\n  - {id: sales}\n  - {id: support}\n"
	a := startReloadApp(t, boards+"playlists:\n  - {id: floor, boards: [{board: sales, duration: 10s}]}\n")
	c := browser(t)
	signIn(t, c, a.base, "admin", a.pw)
	rows := func() string {
		code, page := fetch(t, c, "GET", a.base+"/admin/screens", nil)
		if code != http.StatusOK {
			t.Fatalf("/admin/screens: %d", code)
		}
		return page
	}
	if page := rows(); !strings.Contains(page, "sales 10s") {
		t.Fatalf("the screens page lacks the config's playlist: %.2000s", page)
	}
	a.write(t, boards+"playlists:\n  - {id: floor, boards: [{board: support, duration: 20s}]}\n")
	a.hangup(t, "reload applied")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(rows(), "support 20s") {
		if time.Now().After(deadline) {
			t.Fatalf("the reloaded playlist never reached the screens page:\n%s", a.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
