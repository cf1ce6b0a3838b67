package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
)

// TestDeviceLinkShowsOnlyItsWall: a device link opens its board's wall and live
// channel without a login, and nothing else: the wall of another board sends it to
// its own, and its socket serves its own board whatever board the URL names.
func TestDeviceLinkShowsOnlyItsWall(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Boards = append(o.Boards, boardNamed("other")) })
	d, secret, err := e.devices.Create(context.Background(), "lobby", "Floor 2 TV")
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t)
	q := "?device=" + url.QueryEscape(secret)
	r := do(t, c, "GET", e.ts.URL+"/wall/lobby"+q, nil)
	if r.code != 200 || !strings.Contains(r.body, "Support") {
		t.Fatalf("device wall: got %d", r.code)
	}
	// The page's socket carries the same credential.
	m := regexp.MustCompile(`ws-connect="([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(m[1], "device=") {
		t.Fatalf("ws URL without the device credential: %v", m)
	}
	wsPath := strings.ReplaceAll(m[1], "&amp;", "&")
	if r := do(t, c, "GET", e.ts.URL+"/wall/other"+q, nil); r.code != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/wall/lobby?") {
		t.Errorf("device on /wall/other: got %d to %q, want 303 to its own wall", r.code, r.header.Get("Location"))
	}
	for _, path := range []string{"/boards/lobby" + q, "/embed/lobby" + q, "/api/v1/snapshot" + q} {
		if r := do(t, c, "GET", e.ts.URL+path, nil); r.code != http.StatusForbidden {
			t.Errorf("device on %s: got %d, want 403", path, r.code)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, first, _, err := e.dialWS(t, ctx, nil, wsPath, nil)
	if err != nil || !strings.Contains(first, "Support") {
		t.Fatalf("device socket: %v", err)
	}
	conn.CloseNow()
	other, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=other&view=wall&device="+url.QueryEscape(secret), nil)
	if err != nil || !strings.Contains(first, "Support") {
		t.Errorf("device socket naming another board: %v, %.200q; want its own board", err, first)
	} else {
		for _, sock := range e.srv.hub.Sockets(auth.DeviceKey(d.ID)) {
			if !strings.HasPrefix(sock.Topic, "lobby|") {
				t.Errorf("device socket naming another board is on topic %q, want lobby's", sock.Topic)
			}
		}
		other.CloseNow()
	}
	devs, _ := e.devices.List(ctx)
	if len(devs) != 1 || devs[0].ID != d.ID || devs[0].LastSeen.IsZero() {
		t.Errorf("device not marked seen: %+v", devs)
	}
}

// TestRevokeFromAdminPageUnlinksTheScreen: revoking on /admin/devices closes the
// display's socket with 4003 and its reload shows the "unlinked" page; a revocation
// behind the server's back (another process) is caught by the periodic re-check (4001).
func TestRevokeFromAdminPageUnlinksTheScreen(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)

	// Create through the admin page, as an operator would.
	tok := e.csrfFrom(t, adm, "/admin/devices")
	r := do(t, adm, "POST", e.ts.URL+"/admin/devices", url.Values{"csrf_token": {tok}, "board": {"lobby"}, "name": {"Floor 2 TV"}})
	m := regexp.MustCompile(`data-testid="new-device-url">([^<]+)<`).FindStringSubmatch(r.body)
	if r.code != 200 || m == nil {
		t.Fatalf("create device: got %d %.500s", r.code, r.body)
	}
	link, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if err != nil || link.Path != "/wall/lobby" {
		t.Fatalf("device link %q: %v", m[1], err)
	}
	secret := link.Query().Get("device")
	conn, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secret), nil)
	if err != nil {
		t.Fatalf("device socket: %v", err)
	}
	defer conn.CloseNow()
	devs, _ := e.devices.List(ctx)
	if len(devs) != 1 {
		t.Fatalf("devices: %+v", devs)
	}
	if r := do(t, adm, "GET", e.ts.URL+"/admin/devices", nil); !strings.Contains(r.body, "Floor 2 TV") || !strings.Contains(r.body, devs[0].LastSeen.UTC().Format(time.RFC3339)) {
		t.Errorf("device list lacks the device or its last-seen time: %.500s", r.body)
	}

	tok = e.csrfFrom(t, adm, "/admin/devices")
	if r := do(t, adm, "POST", e.ts.URL+"/admin/devices/"+devs[0].ID+"/revoke", url.Values{"csrf_token": {tok}}); r.code != http.StatusSeeOther {
		t.Fatalf("revoke: got %d %.300s", r.code, r.body)
	}
	if got := readClose(ctx, conn); got != websocket.StatusCode(4003) {
		t.Errorf("revoked device socket closed with %v, want 4003", got)
	}
	r = do(t, e.client(t), "GET", e.ts.URL+link.RequestURI(), nil)
	if r.code != http.StatusForbidden || !strings.Contains(r.body, "This screen was unlinked") {
		t.Errorf("reload after revoke: got %d %.300s, want 403 unlinked", r.code, r.body)
	}

	// Revoked in the store directly (no Kick): the periodic re-check closes it (4001).
	_, secret2, _ := e.devices.Create(ctx, "lobby", "Floor 3 TV")
	conn2, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secret2), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.CloseNow()
	devs, _ = e.devices.List(ctx)
	var third string
	for _, d := range devs {
		if d.Name == "Floor 3 TV" {
			third = d.ID
		}
	}
	if err := e.devices.Revoke(ctx, third); err != nil {
		t.Fatal(err)
	}
	if got := readClose(ctx, conn2); got != websocket.StatusCode(4001) {
		t.Errorf("socket of a device revoked elsewhere closed with %v, want 4001", got)
	}
}

// TestAdminPageIsForAdmins: a manager cannot manage devices.
func TestAdminPageIsForAdmins(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	e.login(t, c, "manager", managerPW)
	if r := do(t, c, "GET", e.ts.URL+"/admin/devices", nil); r.code != http.StatusForbidden {
		t.Errorf("manager on /admin/devices: got %d, want 403", r.code)
	}
	tok := e.csrfFrom(t, c, "/logout")
	if r := do(t, c, "POST", e.ts.URL+"/admin/devices", url.Values{"csrf_token": {tok}, "board": {"lobby"}, "name": {"x"}}); r.code != http.StatusForbidden {
		t.Errorf("manager creating a device: got %d, want 403", r.code)
	}
}
