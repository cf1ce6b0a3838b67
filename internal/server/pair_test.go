package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ccdash/ccdash/internal/screens"
)

// TestPairedTVSkipsPairing: a TV that paired keeps its device in a cookie for /pair,
// so a kiosk that starts at /pair after a reboot goes to its board; once the device
// is revoked the cookie is refused (and deleted) and /pair shows a fresh code.
func TestPairedTVSkipsPairing(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Screens.Pairing = screens.PairingOptions{MaxPending: 3, PerAddr: 10}
	})
	tv, _, code, poll := waitingTV(t, e)
	pairAs(t, e, code, "Lobby TV")
	p := poll()
	set := strings.Join(p.header.Values("Set-Cookie"), "\n")
	for _, want := range []string{pairCookie + "=dev_", "Path=/pair", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Errorf("pairing's Set-Cookie %q lacks %q", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("the pairing cookie is Secure over plain HTTP, where the TV would never send it back: %q", set)
	}

	// The reboot: the kiosk opens /pair again.
	r := do(t, tv, "GET", e.ts.URL+"/pair", nil)
	if loc := r.header.Get("Location"); r.code != http.StatusSeeOther || !strings.HasPrefix(loc, "/wall/lobby?device=dev_") {
		t.Fatalf("/pair of a paired TV: %d to %q, want 303 to its wall link", r.code, loc)
	}
	if wall := do(t, tv, "GET", e.ts.URL+r.header.Get("Location"), nil); wall.code != 200 || !strings.Contains(wall.body, "ws-connect") {
		t.Errorf("the wall /pair sent the TV to: %d %.300s", wall.code, wall.body)
	}
	if p := do(t, e.client(t), "GET", e.ts.URL+"/pair", nil); p.code != 200 || !strings.Contains(p.body, `data-testid="pair-code"`) {
		t.Errorf("another browser's /pair: %d, want a code", p.code)
	}

	devs, err := e.devices.List(context.Background())
	if err != nil || len(devs) != 1 {
		t.Fatalf("devices: %v %v", devs, err)
	}
	if err := e.devices.Revoke(context.Background(), devs[0].ID); err != nil {
		t.Fatal(err)
	}
	r = do(t, tv, "GET", e.ts.URL+"/pair", nil)
	if r.code != 200 || !strings.Contains(r.body, `data-testid="pair-code"`) {
		t.Fatalf("/pair of a revoked TV: %d %q, want a fresh code", r.code, r.header.Get("Location"))
	}
	if del := strings.Join(r.header.Values("Set-Cookie"), "\n"); !strings.Contains(del, pairCookie+"=;") || !strings.Contains(del, "Max-Age=0") {
		t.Errorf("the revoked device's cookie was not deleted: %q", del)
	}
	if r := do(t, tv, "GET", e.ts.URL+"/pair", nil); r.code != 200 {
		t.Errorf("/pair after the deletion: %d, want a code", r.code)
	}
}

// TestPairCookieSecureOverTLS: over TLS the pairing cookie is Secure.
func TestPairCookieSecureOverTLS(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	w := httptest.NewRecorder()
	e.srv.setPairCookie(w, httptest.NewRequest("GET", "https://ccdash.example/pair/wait", nil), "dev_x", pairCookieAge)
	if c := w.Header().Get("Set-Cookie"); !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("Set-Cookie over TLS = %q, want Secure and HttpOnly", c)
	}
}
