package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestReplicasShareDevices: a wall linked on replica A opens on replica B, and revoking
// it on B closes the screen's socket on A at once (4003, the revoke kick, not the
// periodic re-check) — through Redis. A form rendered by A is accepted by B (one CSRF
// key for the fleet), so a load balancer needs no sticky sessions.
func TestReplicasShareDevices(t *testing.T) {
	t.Parallel()
	a, b := twoReplicas(t)

	c := browser(t)
	signIn(t, c, a.base, "ada", "correct horse battery")
	_, page := fetch(t, c, http.MethodGet, a.base+"/admin/devices", nil)
	tok := csrfInput.FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("device page without CSRF token: %.300s", page)
	}
	code, body := fetch(t, c, http.MethodPost, a.base+"/admin/devices", url.Values{"csrf_token": {tok[1]}, "board": {"demo"}, "name": {"Floor 2 TV"}})
	m := regexp.MustCompile(`data-testid="new-device-url">([^<]+)<`).FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("create device on A: %d %.500s", code, body)
	}
	link, _ := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	secret := link.Query().Get("device")
	if code, _ := fetch(t, browser(t), http.MethodGet, b.base+link.RequestURI(), nil); code != http.StatusOK {
		t.Fatalf("the wall linked on A, opened on B: %d, want 200", code)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(a.base, "http") + "/ws?board=demo&view=wall&device=" + url.QueryEscape(secret)
	conn, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {a.base}}})
	if err != nil {
		t.Fatalf("the screen's socket on A: %v", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 20)
	if _, _, err := conn.Read(ctx); err != nil {
		t.Fatal(err)
	}

	// The same session (in Redis) on B: cookies ignore ports, like one host behind a balancer.
	_, devs := fetch(t, c, http.MethodGet, b.base+"/admin/devices", nil)
	var id []string
	for _, row := range strings.Split(devs, "<tr") {
		if strings.Contains(row, "Floor 2 TV") {
			id = regexp.MustCompile(`/admin/devices/([0-9a-f]+)/revoke`).FindStringSubmatch(row)
		}
	}
	if id == nil {
		t.Fatalf("B's device page lacks the device made on A: %.800s", devs)
	}
	// The CSRF token from A's page: B must take it.
	if code, body := fetch(t, c, http.MethodPost, b.base+"/admin/devices/"+id[1]+"/revoke", url.Values{"csrf_token": {tok[1]}}); code != http.StatusSeeOther {
		t.Fatalf("revoke on B with A's form token: %d %.300s", code, body)
	}
	for {
		if _, _, err := conn.Read(ctx); err != nil {
			if got := websocket.CloseStatus(err); got != websocket.StatusCode(4003) {
				t.Errorf("screen socket on A closed with %v (%v), want 4003 from the revoke on B\nA: %s\nB: %s", got, err, a.stderr, b.stderr)
			}
			break
		}
	}
}
