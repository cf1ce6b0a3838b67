package server

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
)

// browserFrom is a browser (cookies, redirects reported) whose connections come from
// local address ip, so the server sees another client address.
func browserFrom(ip string) *http.Client {
	c := clientFrom(ip)
	c.Jar, _ = cookiejar.New(nil)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// TestWrongPasswordsElsewhereDoNotLockOutAdmin: 5 wrong passwords for admin from
// address A lock admin out from A only; admin signs in from address B, and A may
// still sign in to another account.
func TestWrongPasswordsElsewhereDoNotLockOutAdmin(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	attacker, owner := browserFrom("127.0.0.2"), browserFrom("127.0.0.3")
	try := func(c *http.Client, user, pw string) int {
		t.Helper()
		tok := e.csrfFrom(t, c, "/login")
		return do(t, c, "POST", e.ts.URL+"/login", url.Values{"csrf_token": {tok}, "username": {user}, "password": {pw}}).code
	}
	for i := range 5 {
		if code := try(attacker, "admin", "guess"+itoa(i)); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d from A: got %d, want 401", i+1, code)
		}
	}
	if code := try(attacker, "admin", adminPW); code != http.StatusTooManyRequests {
		t.Errorf("admin from A after 5 failures there: got %d, want 429", code)
	}
	if code := try(owner, "admin", adminPW); code != http.StatusSeeOther {
		t.Fatalf("admin from B, which never failed: got %d, want 303 (signed in)", code)
	}
	if r := do(t, owner, "GET", e.ts.URL+"/admin/devices", nil); r.code != http.StatusOK {
		t.Errorf("admin page from B: got %d, want 200", r.code)
	}
	if code := try(attacker, "manager", managerPW); code != http.StatusSeeOther {
		t.Errorf("another account from A: got %d, want 303", code)
	}
}
