package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// Test accounts. The hash is made once per package run: bcrypt is slow on purpose.
const (
	adminPW   = "correct horse battery staple"
	managerPW = "manager-password-1"
)

var testHashes = sync.OnceValues(func() (map[string]string, error) {
	out := map[string]string{}
	for name, pw := range map[string]string{"admin": adminPW, "manager": managerPW} {
		h, err := auth.HashPassword(pw)
		if err != nil {
			return nil, err
		}
		out[name] = h
	}
	return out, nil
})

// embedKey is the signing key of the test servers (32 bytes).
var embedKey = []byte("0123456789abcdef0123456789abcdef")

const embedOrigin = "https://crm.example.com"

// scopedSnap has two skills: the manager may see "comm100:a" (Sales) only. Bob
// serves only Support, so his name must never reach the manager either.
func scopedSnap(version uint64, supportWaiting int64) *snapshot.Snapshot {
	s := liveSnap(version, 2)
	s.Skills[1].Queues[0].Waiting = snapshot.Some(supportWaiting)
	s.Agents = append(s.Agents, snapshot.Agent{Key: "comm100:y", ID: "y", Source: "comm100", Name: "Bob Support-Only", State: snapshot.Busy, Skills: []string{"comm100:b"}})
	return s
}

type authEnv struct {
	srv     *Server
	ts      *httptest.Server
	store   *snapshot.Store
	devices *bolt.DeviceStore
}

// newAuthEnv serves a private board "lobby" and a public board "demo", with an
// admin, a manager limited to skill comm100:a, a device store and an embed key.
func newAuthEnv(t testing.TB, tweak func(*Options)) *authEnv {
	t.Helper()
	hashes, err := testHashes()
	if err != nil {
		t.Fatal(err)
	}
	users, err := auth.NewUsers([]auth.User{
		{Name: "admin", PasswordHash: hashes["admin"], Role: auth.RoleAdmin},
		{Name: "manager", PasswordHash: hashes["manager"], Role: auth.RoleManager, Skills: []string{"comm100:a"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	devices, err := bolt.NewDeviceStore(db)
	if err != nil {
		t.Fatal(err)
	}
	st := snapshot.NewStore()
	st.Publish(scopedSnap(1, 1))
	opts := Options{
		Store:  st,
		Boards: []views.Board{{ID: "lobby", Title: "Lobby"}, {ID: "demo", Title: "Demo", Public: true}},
		Hub:    hubOptsFast(),
		Auth: AuthOptions{
			Users: users, Devices: devices, EmbedKey: embedKey, EmbedOrigins: []string{embedOrigin},
		},
	}
	if tweak != nil {
		tweak(&opts)
	}
	srv := New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	go srv.Run(ctx)
	ts := serveEdge(srv)
	t.Cleanup(func() { srv.Close(); ts.Close(); cancel(); db.Close() })
	return &authEnv{srv: srv, ts: ts, store: st, devices: devices}
}

// serveEdge serves srv as main does: its http.Server (timeouts) on its Listener
// (connection limits), on a loopback port.
func serveEdge(srv *Server) *httptest.Server {
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = srv.HTTPServer(nil)
	ts.Listener = srv.Listener(ts.Listener)
	ts.Start()
	return ts
}

// client is a browser: a cookie jar, and redirects are reported, not followed.
func (e *authEnv) client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

type resp struct {
	code   int
	body   string
	header http.Header
}

func do(t testing.TB, c *http.Client, method, u string, form url.Values) resp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, body: string(b), header: res.Header}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfFrom returns the CSRF token of the form on page u.
func (e *authEnv) csrfFrom(t testing.TB, c *http.Client, path string) string {
	t.Helper()
	r := do(t, c, "GET", e.ts.URL+path, nil)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("GET %s: no csrf_token in %d %.300s", path, r.code, r.body)
	}
	return m[1]
}

// login signs c in and fails the test unless it was redirected.
func (e *authEnv) login(t testing.TB, c *http.Client, user, pw string) {
	t.Helper()
	tok := e.csrfFrom(t, c, "/login")
	r := do(t, c, "POST", e.ts.URL+"/login", url.Values{"csrf_token": {tok}, "username": {user}, "password": {pw}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("login %s: got %d %.300s, want 303", user, r.code, r.body)
	}
}

func (e *authEnv) sessionCookie(c *http.Client) string {
	u, _ := url.Parse(e.ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == auth.SessionCookieName {
			return ck.Value
		}
	}
	return ""
}

// dialWS opens path (e.g. "/ws?board=…") with the client's cookies and extra headers
// and returns the socket and its first message.
func (e *authEnv) dialWS(t *testing.T, ctx context.Context, c *http.Client, path string, h http.Header) (*websocket.Conn, string, *http.Response, error) {
	t.Helper()
	if h == nil {
		h = http.Header{}
	}
	if c != nil {
		u, _ := url.Parse(e.ts.URL)
		for _, ck := range c.Jar.Cookies(u) {
			h.Add("Cookie", ck.Name+"="+ck.Value)
		}
	}
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.ts.URL, "http")+path, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, "", res, err
	}
	conn.SetReadLimit(1 << 20)
	_, msg, err := conn.Read(ctx)
	if err != nil {
		conn.CloseNow()
		return nil, "", res, err
	}
	return conn, string(msg), res, nil
}

// readClose reads until the socket ends and returns its close status.
func readClose(ctx context.Context, c *websocket.Conn) websocket.StatusCode {
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return websocket.CloseStatus(err)
		}
	}
}

// hubOptsFast pings (and re-checks credentials) often, so a revoked credential is
// noticed within a test's patience.
func hubOptsFast() hub.Options {
	return hub.Options{PingInterval: 100 * time.Millisecond, CheckInterval: 100 * time.Millisecond}
}
