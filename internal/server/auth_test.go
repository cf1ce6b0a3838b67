package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestWithoutCredentialsEveryPrivateRouteRefuses: boards, tiles, embeds, /ws, the
// snapshot API and the admin page answer 401 or a redirect to the login page to an
// anonymous visitor; only the board marked public answers.
func TestWithoutCredentialsEveryPrivateRouteRefuses(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	tests := []struct {
		name, path string
		want       int
	}{
		{"manager board", "/boards/lobby", http.StatusSeeOther},
		{"drill-down", "/boards/lobby?skill=comm100:a", http.StatusSeeOther},
		{"wall", "/wall/lobby", http.StatusSeeOther},
		{"embed board", "/embed/lobby", http.StatusUnauthorized},
		{"embed tile", "/embed/lobby/tiles/queue", http.StatusUnauthorized},
		{"ws wall", "/ws?board=lobby&view=wall", http.StatusUnauthorized},
		{"ws manager", "/ws?board=lobby&view=manager", http.StatusUnauthorized},
		{"ws embed", "/ws?board=lobby&view=embed", http.StatusUnauthorized},
		{"snapshot API", "/api/v1/snapshot", http.StatusUnauthorized},
		{"admin devices", "/admin/devices", http.StatusSeeOther},
		{"public board", "/boards/demo", http.StatusOK},
		{"public wall", "/wall/demo", http.StatusOK},
		{"public embed", "/embed/demo/tiles/queue", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, c, "GET", e.ts.URL+tt.path, nil)
			if r.code != tt.want {
				t.Fatalf("GET %s: got %d, want %d", tt.path, r.code, tt.want)
			}
			if r.code == http.StatusSeeOther && !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s: redirected to %q, want the login page", tt.path, r.header.Get("Location"))
			}
			if r.code != http.StatusOK && strings.Contains(r.body, "Sales") {
				t.Errorf("GET %s: refused response carries figures: %.300s", tt.path, r.body)
			}
		})
	}
	// And the live channel of a public board opens without a credential.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatalf("public board socket: %v", err)
	}
	conn.CloseNow()
}

// TestScopedManagerNeverSeesOtherSkills: a manager limited to Sales never receives
// Support's figures or its agents — not in the page, the pushed fragments or JSON.
func TestScopedManagerNeverSeesOtherSkills(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)
	forbidden := []string{"Support", "comm100:b", "Bob Support-Only"}
	check := func(t *testing.T, where, body string) {
		t.Helper()
		if !strings.Contains(body, "Sales") {
			t.Errorf("%s: the manager's own skill is missing: %.300s", where, body)
		}
		for _, f := range forbidden {
			if strings.Contains(body, f) {
				t.Errorf("%s: carries %q, outside the manager's scope", where, f)
			}
		}
	}
	for _, path := range []string{"/boards/lobby", "/wall/lobby", "/embed/lobby", "/boards/lobby?sort=name"} {
		r := do(t, mgr, "GET", e.ts.URL+path, nil)
		if r.code != 200 {
			t.Fatalf("GET %s: got %d", path, r.code)
		}
		check(t, path, r.body)
	}
	r := do(t, mgr, "GET", e.ts.URL+"/api/v1/snapshot", nil)
	if r.code != 200 {
		t.Fatalf("snapshot API: got %d %s", r.code, r.body)
	}
	check(t, "snapshot API", r.body)
	if r := do(t, mgr, "GET", e.ts.URL+"/boards/lobby?skill=comm100:b", nil); r.code != http.StatusNotFound {
		t.Errorf("drill-down into another skill: got %d, want 404", r.code)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, first, _, err := e.dialWS(t, ctx, mgr, "/ws?board=lobby&view=manager", nil)
	if err != nil {
		t.Fatalf("manager socket: %v", err)
	}
	defer conn.CloseNow()
	check(t, "first ws message", first)
	// Support changes, then Sales: the manager's socket must get the Sales change and
	// nothing of Support.
	e.store.Publish(scopedSnap(2, 9))
	sales := scopedSnap(3, 9)
	sales.Skills[0].Queues[0].Waiting = snapshot.Some[int64](7)
	e.store.Publish(sales)
	_, msg, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forbidden {
		if strings.Contains(string(msg), f) {
			t.Errorf("pushed fragment carries %q: %.300s", f, msg)
		}
	}

	// The admin sees both: the scope is the user's, not the board's.
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	if r := do(t, adm, "GET", e.ts.URL+"/boards/lobby", nil); !strings.Contains(r.body, "Support") {
		t.Errorf("admin page lacks Support: %d", r.code)
	}
}

// TestLoginRenewsSessionToken: the login form starts no session, and a session cookie
// a visitor had before signing in (which an attacker could have planted) identifies
// nobody after.
func TestLoginRenewsSessionToken(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	e.csrfFrom(t, c, "/login")
	if got := e.sessionCookie(c); got != "" {
		t.Fatalf("the login form set a session cookie; it must need none")
	}
	before := "planted-session-token"
	u, _ := url.Parse(e.ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: before, Path: "/"}})
	e.login(t, c, "admin", adminPW)
	after := e.sessionCookie(c)
	if after == "" || after == before {
		t.Fatalf("session token not renewed at login (before %t, after %t, equal %t)", before != "", after != "", after == before)
	}
	if r := do(t, c, "GET", e.ts.URL+"/boards/lobby", nil); r.code != 200 {
		t.Fatalf("signed-in board: got %d", r.code)
	}
	planted := e.client(t)
	planted.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: before}})
	if r := do(t, planted, "GET", e.ts.URL+"/boards/lobby", nil); r.code != http.StatusSeeOther {
		t.Errorf("pre-login cookie after login: got %d, want 303 to login", r.code)
	}
}

// TestSessionCookieFlags: HttpOnly and SameSite=Lax always; Secure when the request
// came over TLS by a trusted proxy's word, and not otherwise.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		trustProxy bool
		publicURL  string
		xfp        string
		wantSecure bool
	}{
		{"plain http", false, "", "", false},
		{"untrusted forwarded proto", false, "", "https", false},
		{"trusted proxy says https", true, "", "https", true},
		{"trusted proxy says http", true, "", "http", false},
		{"https public url", false, "https://wall.example.com", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newAuthEnv(t, func(o *Options) { o.Auth.TrustProxy, o.Auth.PublicURL = tt.trustProxy, tt.publicURL })
			c := e.client(t)
			var setCookies []string
			c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if tt.xfp != "" {
					r.Header.Set("X-Forwarded-Proto", tt.xfp)
				}
				res, err := http.DefaultTransport.RoundTrip(r)
				if err == nil {
					setCookies = append(setCookies, res.Header.Values("Set-Cookie")...)
				}
				return res, err
			})
			e.login(t, c, "admin", adminPW)
			for _, name := range []string{auth.CSRFCookieName, auth.SessionCookieName} {
				i := slices.IndexFunc(setCookies, func(sc string) bool { return strings.HasPrefix(sc, name+"=") })
				if i < 0 {
					t.Fatalf("no %s cookie set among %q", name, setCookies)
				}
				sc := setCookies[i]
				if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
					t.Errorf("Set-Cookie %q: want HttpOnly, SameSite=Lax", sc)
				}
				if got := strings.Contains(sc, "Secure"); got != tt.wantSecure {
					t.Errorf("Set-Cookie %q: Secure = %t, want %t", sc, got, tt.wantSecure)
				}
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFormsWithoutCSRFTokenAreRefused: every state-changing form needs the token.
func TestFormsWithoutCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	e.login(t, c, "admin", adminPW)
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"logout without token", "/logout", url.Values{}},
		{"logout with a wrong token", "/logout", url.Values{"csrf_token": {"forged"}}},
		{"create device without token", "/admin/devices", url.Values{"board": {"lobby"}, "name": {"TV"}}},
		{"revoke without token", "/admin/devices/x/revoke", url.Values{}},
		{"login without token", "/login", url.Values{"username": {"admin"}, "password": {adminPW}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := do(t, c, "POST", e.ts.URL+tt.path, tt.form); r.code != http.StatusForbidden {
				t.Errorf("POST %s: got %d, want 403", tt.path, r.code)
			}
		})
	}
	// None of them did anything: still signed in, no device created.
	if r := do(t, c, "GET", e.ts.URL+"/boards/lobby", nil); r.code != 200 {
		t.Errorf("after refused forms: got %d, want still signed in", r.code)
	}
	if devs, _ := e.devices.List(context.Background()); len(devs) != 0 {
		t.Errorf("a device was created without CSRF token: %v", devs)
	}
}

// TestLoginRateLimited: after 5 failures from one address an account is refused there
// with a clear message, even with the right password; per address, 20 failures
// across accounts.
func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	try := func(user, pw string) resp {
		tok := e.csrfFrom(t, c, "/login")
		return do(t, c, "POST", e.ts.URL+"/login", url.Values{"csrf_token": {tok}, "username": {user}, "password": {pw}})
	}
	for i := range 5 {
		if r := try("admin", "wrong"); r.code != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong user name or password") {
			t.Fatalf("failure %d: got %d, want 401 with a reason", i+1, r.code)
		}
	}
	r := try("admin", adminPW)
	if r.code != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many login attempts") || r.header.Get("Retry-After") == "" {
		t.Fatalf("6th attempt with the right password: got %d %q, want 429 with the message and Retry-After", r.code, r.header.Get("Retry-After"))
	}
	// Per address: 15 more failures on other names from the same address reach 20.
	for i := range 15 {
		try("nobody"+itoa(i), "wrong")
	}
	if r := try("manager", managerPW); r.code != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from one address, another account: got %d, want 429", r.code)
	}
}

// TestLoginParallelGuessesLimited: 20 wrong passwords for one account sent at once
// reach the password check at most 5 times (the limit); the rest are refused with 429,
// although every one of them arrives before the first bcrypt check has failed.
func TestLoginParallelGuessesLimited(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	form := url.Values{"csrf_token": {e.csrfFrom(t, c, "/login")}, "username": {"admin"}, "password": {"wrong"}}.Encode()
	codes := make(chan int, 20)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			res, err := c.Post(e.ts.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				t.Errorf("POST /login: %v", err)
				return
			}
			res.Body.Close()
			codes <- res.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for code := range codes {
		got[code]++
	}
	if got[http.StatusUnauthorized] > 5 || got[http.StatusUnauthorized]+got[http.StatusTooManyRequests] != 20 {
		t.Errorf("20 parallel wrong passwords: status counts %v, want at most 5 × 401 and the rest 429", got)
	}
}

// TestLogoutEndsSessionAndSockets: the old cookie no longer works and the session's
// live sockets are closed (4003).
func TestLogoutEndsSessionAndSockets(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	e.login(t, c, "admin", adminPW)
	old := e.sessionCookie(c)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, _, err := e.dialWS(t, ctx, c, "/ws?board=lobby&view=manager", nil)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	defer conn.CloseNow()

	tok := e.csrfFrom(t, c, "/logout")
	if r := do(t, c, "POST", e.ts.URL+"/logout", url.Values{"csrf_token": {tok}}); r.code != http.StatusSeeOther {
		t.Fatalf("logout: got %d", r.code)
	}
	if got := readClose(ctx, conn); got != websocket.StatusCode(4003) {
		t.Errorf("socket after logout closed with %v, want 4003", got)
	}
	replay := e.client(t)
	u, _ := url.Parse(e.ts.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: auth.SessionCookieName, Value: old}})
	if r := do(t, replay, "GET", e.ts.URL+"/boards/lobby", nil); r.code != http.StatusSeeOther {
		t.Errorf("replayed cookie after logout: got %d, want 303 to login", r.code)
	}
	if r := do(t, replay, "GET", e.ts.URL+"/api/v1/snapshot", nil); r.code != http.StatusUnauthorized {
		t.Errorf("replayed cookie on the API: got %d, want 401", r.code)
	}
}

// TestLoginRedirectStaysOnSite: ?next= cannot send a user to another site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	tests := []struct{ next, want string }{
		{"/boards/lobby?skill=a", "/boards/lobby?skill=a"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
