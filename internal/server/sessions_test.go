package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

// newBoltSessions is the session store the server uses without redis_url.
func newBoltSessions(t *testing.T) *bolt.SessionStore {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "sessions.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := bolt.NewSessionStore(db, bolt.SessionOptions{SignedIn: auth.SessionSignedIn})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAnonymousLoginPagesStoreNothing: 100k anonymous visits to the login form (the
// attack that grew RSS by 420 MB) leave the session store empty; the form still works
// and signing in stores exactly one session.
func TestAnonymousLoginPagesStoreNothing(t *testing.T) {
	t.Parallel()
	sessions := newBoltSessions(t)
	e := newAuthEnv(t, func(o *Options) { o.Auth.SessionStore = sessions })
	for range 20 { // over real HTTP, each a new visitor
		r := do(t, e.client(t), "GET", e.ts.URL+"/login", nil)
		if r.code != http.StatusOK || !csrfField.MatchString(r.body) {
			t.Fatalf("GET /login: %d, want 200 with a CSRF token", r.code)
		}
		if sc := strings.Join(r.header.Values("Set-Cookie"), "; "); strings.Contains(sc, auth.SessionCookieName) {
			t.Fatalf("GET /login set a session cookie: %q", sc)
		}
	}
	h := e.srv.Handler()
	visits := 100_000
	if raceEnabled {
		visits = 10_000 // the race run checks for races, the plain run for volume
	}
	for i := range visits { // in process, to stay fast
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/login?next=/boards/lobby", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("visit %d: GET /login = %d", i, rec.Code)
		}
	}
	if n, err := sessions.Len(); n != 0 || err != nil {
		t.Fatalf("after %d anonymous GET /login: %d sessions stored (%v), want 0", visits, n, err)
	}
	e.login(t, e.client(t), "manager", managerPW)
	if n, _ := sessions.Len(); n != 1 {
		t.Errorf("after one sign-in: %d sessions stored, want 1", n)
	}
}

// TestCSRFTokenIsBoundToItsCookieAndSession: the login form's token holds only for the
// nonce cookie it was made with, and a signed-in form's token only for its session.
func TestCSRFTokenIsBoundToItsCookieAndSession(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	a, b := e.client(t), e.client(t)
	tokA := e.csrfFrom(t, a, "/login")
	e.csrfFrom(t, b, "/login") // b has its own nonce cookie
	form := url.Values{"csrf_token": {tokA}, "username": {"admin"}, "password": {adminPW}}
	if r := do(t, b, "POST", e.ts.URL+"/login", form); r.code != http.StatusForbidden {
		t.Errorf("another visitor's token: got %d, want 403", r.code)
	}
	if r := do(t, e.client(t), "POST", e.ts.URL+"/login", form); r.code != http.StatusForbidden {
		t.Errorf("a token without its cookie: got %d, want 403", r.code)
	}
	if r := do(t, a, "POST", e.ts.URL+"/login", form); r.code != http.StatusSeeOther {
		t.Fatalf("the token with its own cookie: got %d, want 303 (signed in)", r.code)
	}
	// Signed in, the pre-login token no longer holds: tokens are bound to the session.
	if r := do(t, a, "POST", e.ts.URL+"/logout", url.Values{"csrf_token": {tokA}}); r.code != http.StatusForbidden {
		t.Errorf("pre-login token after sign-in: got %d, want 403", r.code)
	}
	tok := e.csrfFrom(t, a, "/logout")
	if r := do(t, a, "POST", e.ts.URL+"/logout", url.Values{"csrf_token": {tok}}); r.code != http.StatusSeeOther {
		t.Errorf("sign out with the session's token: got %d, want 303", r.code)
	}
}

// TestRefusedSocketSaysWhy: a socket refused for a missing or ended session closes with
// 4001 (the page then goes to sign in), one for a revoked device with 4003 — not a
// refused handshake, which the page sees as 1006 and retries forever.
func TestRefusedSocketSaysWhy(t *testing.T) {
	t.Parallel()
	sessions := newBoltSessions(t)
	e := newAuthEnv(t, func(o *Options) { o.Auth.SessionStore = sessions })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	closeOf := func(c *http.Client, path string) websocket.StatusCode {
		t.Helper()
		conn, _, _, err := e.dialWS(t, ctx, c, path, nil)
		if err == nil {
			conn.CloseNow()
			t.Fatalf("%s: socket opened, want it refused", path)
		}
		return websocket.CloseStatus(err)
	}
	if got := closeOf(nil, "/ws?board=lobby&view=manager"); got != 4001 {
		t.Errorf("anonymous manager socket: close %v, want 4001", got)
	}

	// A signed-in manager whose session is deleted (expired, or removed from the store).
	c := e.client(t)
	e.login(t, c, "manager", managerPW)
	conn, _, _, err := e.dialWS(t, ctx, c, "/ws?board=lobby&view=manager", nil)
	if err != nil {
		t.Fatalf("signed-in socket: %v", err)
	}
	defer conn.CloseNow()
	sum := sha256.Sum256([]byte(e.sessionCookie(c)))
	if err := sessions.Delete(base64.RawURLEncoding.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	if n, _ := sessions.Len(); n != 0 {
		t.Fatalf("%d sessions after deleting the only one; the test deleted the wrong key", n)
	}
	if got := readClose(ctx, conn); got != 4001 {
		t.Errorf("open socket of the deleted session: close %v, want 4001", got)
	}
	if got := closeOf(c, "/ws?board=lobby&view=manager"); got != 4001 {
		t.Errorf("reconnect of the deleted session: close %v, want 4001", got)
	}

	d, secret, err := e.devices.Create(ctx, "lobby", "TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.devices.Revoke(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if got := closeOf(nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secret)); got != 4003 {
		t.Errorf("revoked device socket: close %v, want 4003", got)
	}
}
