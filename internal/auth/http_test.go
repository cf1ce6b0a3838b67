package auth

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
)

// testApp is a minimal server wired the way ccdash's server is meant to use this
// package: LoadAndSave outside, RequireCSRF inside, limiter before Authenticate.
type testApp struct {
	srv   *httptest.Server
	sm    *scs.SessionManager
	users atomic.Pointer[Users]
}

const (
	alicePW = "alice-password"
)

func newTestApp(t *testing.T, opts SessionOptions, tlsServer bool) *testApp {
	t.Helper()
	us, err := NewUsers([]User{{Name: "alice", PasswordHash: mustHash(t, alicePW), Role: RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	store := memstore.NewWithCleanupInterval(0)
	app := &testApp{sm: NewSessionManager(store, opts)}
	app.users.Store(us)
	lim := NewLoginLimiter(LimiterOptions{})
	sm := app.sm

	mux := http.NewServeMux()
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, CSRFToken(r.Context()))
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		name, pw := r.PostFormValue("name"), r.PostFormValue("password")
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		now := time.Now()
		if ok, retry := lim.Allow(name, ip, now); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
			http.Error(w, TooManyAttemptsMessage(retry), http.StatusTooManyRequests)
			return
		}
		u, err := app.users.Load().Authenticate(name, pw)
		if err != nil {
			http.Error(w, "wrong user name or password", http.StatusUnauthorized)
			return
		}
		lim.Success(name, ip, now)
		if err := Login(r.Context(), sm, u); err != nil {
			http.Error(w, "login failed", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "welcome")
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		u, ok := SessionUser(r.Context(), sm, app.users.Load())
		if !ok {
			http.Error(w, "not logged in", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, u.Name)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := Logout(r.Context(), sm); err != nil {
			http.Error(w, "logout failed", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "bye")
	})
	mux.HandleFunc("POST /action", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "done")
	})
	h := sm.LoadAndSave(RequireCSRF(NewSigningKey(), sm)(mux))
	if tlsServer {
		app.srv = httptest.NewTLSServer(h)
	} else {
		app.srv = httptest.NewServer(h)
	}
	t.Cleanup(app.srv.Close)
	return app
}

// browser is a client with a cookie jar, like a real browser tab.
type browser struct {
	t   *testing.T
	app *testApp
	c   *http.Client
}

func (app *testApp) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := app.srv.Client()
	c2 := *c
	c2.Jar = jar
	c2.Timeout = 10 * time.Second
	return &browser{t: t, app: app, c: &c2}
}

// do sends a request and returns status and body.
func (b *browser) do(method, path string, form url.Values, header http.Header) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.app.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(got))
}

func (b *browser) csrf() string {
	b.t.Helper()
	code, tok := b.do("GET", "/form", nil, nil)
	if code != http.StatusOK || tok == "" {
		b.t.Fatalf("GET /form = %d %q", code, tok)
	}
	return tok
}

func (b *browser) sessionCookie() string {
	b.t.Helper()
	u, _ := url.Parse(b.app.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == SessionCookieName {
			return c.Value
		}
	}
	return ""
}

func (b *browser) login(pw string) (int, string) {
	b.t.Helper()
	return b.do("POST", "/login", url.Values{"name": {"alice"}, "password": {pw}, CSRFFormField: {b.csrf()}}, nil)
}

// withCookie sends a request carrying only the given session cookie (an attacker
// replaying a captured value).
func (app *testApp) withCookie(t *testing.T, method, path, cookie string) int {
	t.Helper()
	req, err := http.NewRequest(method, app.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: SessionCookieName, Value: cookie})
	resp, err := app.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestLoginRenewsSessionToken(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, SessionOptions{}, false)
	b := app.browser(t)
	b.csrf()
	if c := b.sessionCookie(); c != "" {
		t.Fatalf("session cookie %q before sign-in; the login form must need none", c)
	}
	// An attacker plants a session cookie (from a sibling subdomain, say) before login.
	before := "planted-" + newRandomToken()
	u, _ := url.Parse(app.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookieName, Value: before, Path: "/"}})
	preLoginToken := b.csrf()
	if code, body := b.login(alicePW); code != http.StatusOK {
		t.Fatalf("login = %d %q", code, body)
	}
	after := b.sessionCookie()
	if after == "" || after == before {
		t.Fatalf("session cookie after login = %q, want a new value (was %q)", after, before)
	}
	if code, body := b.do("GET", "/me", nil, nil); code != http.StatusOK || body != "alice" {
		t.Errorf("GET /me = %d %q, want 200 alice", code, body)
	}
	// An attacker who planted the pre-login cookie gains nothing.
	if code := app.withCookie(t, "GET", "/me", before); code != http.StatusUnauthorized {
		t.Errorf("GET /me with pre-login cookie = %d, want 401", code)
	}
	// Nor does one who knew the pre-login CSRF token.
	if code, _ := b.do("POST", "/action", url.Values{CSRFFormField: {preLoginToken}}, nil); code != http.StatusForbidden {
		t.Errorf("POST with pre-login CSRF token = %d, want 403", code)
	}
	if code, _ := b.do("POST", "/action", url.Values{CSRFFormField: {b.csrf()}}, nil); code != http.StatusOK {
		t.Errorf("POST with post-login CSRF token = %d, want 200", code)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, SessionOptions{}, false)
	b := app.browser(t)
	if code, body := b.login(alicePW); code != http.StatusOK {
		t.Fatalf("login = %d %q", code, body)
	}
	cookie := b.sessionCookie()
	if code := app.withCookie(t, "GET", "/me", cookie); code != http.StatusOK {
		t.Fatalf("GET /me with session cookie = %d, want 200", code)
	}
	if code, body := b.do("POST", "/logout", url.Values{CSRFFormField: {b.csrf()}}, nil); code != http.StatusOK {
		t.Fatalf("logout = %d %q", code, body)
	}
	if got := b.sessionCookie(); got != "" {
		t.Errorf("browser still holds session cookie %q after logout", got)
	}
	if code := app.withCookie(t, "GET", "/me", cookie); code != http.StatusUnauthorized {
		t.Errorf("GET /me replaying the old cookie = %d, want 401", code)
	}
}

// Changing a user's password in config ends their sessions.
func TestPasswordChangeEndsSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, SessionOptions{}, false)
	b := app.browser(t)
	if code, body := b.login(alicePW); code != http.StatusOK {
		t.Fatalf("login = %d %q", code, body)
	}
	us, err := NewUsers([]User{{Name: "alice", PasswordHash: mustHash(t, "new-password"), Role: RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	app.users.Store(us)
	if code, _ := b.do("GET", "/me", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("GET /me after password change = %d, want 401", code)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, SessionOptions{}, false)
	b := app.browser(t)
	tok := b.csrf()
	other := app.browser(t).csrf() // a valid token of another session
	tests := []struct {
		name   string
		method string
		path   string
		form   url.Values
		header http.Header
		want   int
	}{
		{"form without token", "POST", "/action", url.Values{"x": {"1"}}, nil, http.StatusForbidden},
		{"form with token", "POST", "/action", url.Values{CSRFFormField: {tok}}, nil, http.StatusOK},
		{"header token", "POST", "/action", nil, http.Header{CSRFHeader: {tok}}, http.StatusOK},
		{"DELETE with header token", "DELETE", "/action", nil, http.Header{CSRFHeader: {tok}}, http.StatusMethodNotAllowed},
		{"DELETE without token", "DELETE", "/action", nil, nil, http.StatusForbidden},
		{"wrong token", "POST", "/action", url.Values{CSRFFormField: {tok + "x"}}, nil, http.StatusForbidden},
		{"another session's token", "POST", "/action", url.Values{CSRFFormField: {other}}, nil, http.StatusForbidden},
		{"token only in query string", "POST", "/action?" + CSRFFormField + "=" + tok, url.Values{"x": {"1"}}, nil, http.StatusForbidden},
		{"cross-site with valid token", "POST", "/action", url.Values{CSRFFormField: {tok}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}, http.StatusForbidden},
		{"foreign Origin with valid token", "POST", "/action", url.Values{CSRFFormField: {tok}}, http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"same-origin fetch with token", "POST", "/action", url.Values{CSRFFormField: {tok}}, http.Header{"Sec-Fetch-Site": {"same-origin"}}, http.StatusOK},
		{"GET needs no token", "GET", "/me", nil, nil, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, body := b.do(tt.method, tt.path, tt.form, tt.header)
			if code != tt.want {
				t.Errorf("%s %s = %d %q, want %d", tt.method, tt.path, code, body, tt.want)
			}
			if strings.Contains(body, tok) {
				t.Errorf("response body echoes the CSRF token: %q", body)
			}
		})
	}
	t.Run("no session at all", func(t *testing.T) {
		t.Parallel()
		fresh := app.browser(t)
		if code, _ := fresh.do("POST", "/action", url.Values{CSRFFormField: {""}}, nil); code != http.StatusForbidden {
			t.Errorf("POST from a session that never got a token = %d, want 403", code)
		}
	})
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, SessionOptions{}, false)
	b := app.browser(t)
	for i := range 5 {
		if code, body := b.login("wrong"); code != http.StatusUnauthorized {
			t.Fatalf("bad login %d = %d %q, want 401", i+1, code, body)
		}
	}
	tok := b.csrf()
	req, _ := http.NewRequest("POST", app.srv.URL+"/login", strings.NewReader(url.Values{"name": {"alice"}, "password": {alicePW}, CSRFFormField: {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("6th login with the right password = %d %q, want 429", resp.StatusCode, body)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > 15*60 {
		t.Errorf("Retry-After = %q, want 1..900 seconds", resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(body), "Too many login attempts") {
		t.Errorf("body = %q, want a clear message", body)
	}
	if code, _ := b.do("GET", "/me", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("GET /me after refused login = %d, want 401", code)
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		secure     bool
		tlsServer  bool
		wantSecure bool
	}{
		{"plain http", false, false, false},
		{"behind TLS", true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app := newTestApp(t, SessionOptions{Secure: tt.secure}, tt.tlsServer)
			b := app.browser(t)
			var got []*http.Cookie
			b.c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := app.srv.Client().Transport.RoundTrip(r)
				if err == nil {
					got = append(got, resp.Cookies()...)
				}
				return resp, err
			})
			if code, body := b.login(alicePW); code != http.StatusOK {
				t.Fatalf("login = %d %q", code, body)
			}
			for _, name := range []string{CSRFCookieName, SessionCookieName} {
				i := slices.IndexFunc(got, func(c *http.Cookie) bool { return c.Name == name })
				if i < 0 {
					t.Fatalf("no %s cookie among %v", name, got)
				}
				if c := got[i]; !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure || c.Path != "/" {
					t.Errorf("%s cookie HttpOnly=%v SameSite=%v Secure=%v Path=%q; want true Lax %v /", name, c.HttpOnly, c.SameSite, c.Secure, c.Path, tt.wantSecure)
				}
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewSessionManagerTimeouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		opts                   SessionOptions
		wantIdle, wantLifetime time.Duration
	}{
		{"defaults", SessionOptions{}, 12 * time.Hour, 7 * 24 * time.Hour},
		{"custom", SessionOptions{IdleTimeout: time.Hour, Lifetime: 8 * time.Hour}, time.Hour, 8 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sm := NewSessionManager(memstore.NewWithCleanupInterval(0), tt.opts)
			if sm.IdleTimeout != tt.wantIdle || sm.Lifetime != tt.wantLifetime {
				t.Errorf("IdleTimeout, Lifetime = %v, %v; want %v, %v", sm.IdleTimeout, sm.Lifetime, tt.wantIdle, tt.wantLifetime)
			}
			if !sm.HashTokenInStore {
				t.Error("HashTokenInStore = false, want true")
			}
		})
	}
}

// The session store holds a hash of the token, not the cookie value: a dump of Redis
// does not hand out sessions.
func TestSessionStoreHoldsNoCookieValue(t *testing.T) {
	t.Parallel()
	store := memstore.NewWithCleanupInterval(0)
	sm := NewSessionManager(store, SessionOptions{})
	srv := httptest.NewServer(sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "k", "v")
	})))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookieName {
			cookie = c.Value
		}
	}
	all, err := store.All()
	if err != nil {
		t.Fatal(err)
	}
	if cookie == "" || len(all) != 1 {
		t.Fatalf("cookie %q, %d sessions stored; want one session", cookie, len(all))
	}
	if _, found := all[cookie]; found {
		t.Error("store is keyed by the raw cookie value")
	}
}
