package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

// noticeEnv is newAuthEnv with announcements (kept in bolt, expired by a running
// Feed on the real clock) and API tokens: one with the announce scope, one read-only.
type noticeEnv struct {
	*authEnv
	feed              *announce.Feed
	announcer, reader string // API token secrets
}

func newNoticeEnv(t testing.TB) *noticeEnv {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "notices.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := bolt.NewAnnouncements(db)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := bolt.NewAPITokenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	var srv *Server
	feed, err := announce.New(context.Background(), announce.Options{Store: st, Boards: func() []string {
		var ids []string
		for _, b := range srv.Boards() {
			ids = append(ids, b.ID)
		}
		return ids
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go feed.Run(ctx)
	e := &noticeEnv{authEnv: newAuthEnv(t, func(o *Options) { o.Announce = feed; o.APITokens = tokens }), feed: feed}
	srv = e.srv
	if _, e.announcer, err = tokens.CreateAPIToken(ctx, "Status page", []string{auth.ScopeAnnounce}, nil); err != nil {
		t.Fatal(err)
	}
	if _, e.reader, err = tokens.CreateAPIToken(ctx, "Grafana", []string{auth.ScopeRead}, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// api sends a JSON request with the bearer token secret ("" = none) and returns the answer.
func (e *noticeEnv) api(t *testing.T, method, path, secret, body string) resp {
	t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{code: res.StatusCode, body: string(b), header: res.Header}
}

// walls opens a wall socket of lobby (with a device link) and one of demo (public).
func (e *noticeEnv) walls(t *testing.T, ctx context.Context) (lobby, demo *websocket.Conn) {
	t.Helper()
	_, secret, err := e.devices.Create(ctx, "lobby", "Floor TV")
	if err != nil {
		t.Fatal(err)
	}
	lobby, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secret), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lobby.CloseNow() })
	if !strings.Contains(first, `id="tile-ticker"`) || !strings.Contains(first, `id="tile-urgent"`) {
		t.Fatalf("a wall's first message lacks the announcement bands: %.500s", first)
	}
	demo, _, _, err = e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { demo.CloseNow() })
	return lobby, demo
}

// readNotUntil reads c until a message contains want, failing if any message before
// it (or it) contains never.
func readNotUntil(t *testing.T, ctx context.Context, c *websocket.Conn, want, never string) {
	t.Helper()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %q: %v", want, err)
		}
		if strings.Contains(string(msg), never) {
			t.Fatalf("got %q, which must not arrive here: %.400s", never, msg)
		}
		if strings.Contains(string(msg), want) {
			return
		}
	}
}

var csrfDataToken = regexp.MustCompile(`id="csrf" data-token="([^"]+)"`)

// TestAnnouncementFromManagerBoard: the manager board's form (CSRF-protected: a post
// without the token is refused) puts an urgent announcement on the walls of the
// boards chosen, and only those; the text is escaped; the board lists it with a
// withdraw button that takes it off the walls again.
func TestAnnouncementFromManagerBoard(t *testing.T) {
	e := newNoticeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lobby, demo := e.walls(t, ctx)

	admin := e.client(t)
	e.login(t, admin, "admin", adminPW)
	page := do(t, admin, "GET", e.ts.URL+"/boards/lobby", nil)
	if !strings.Contains(page.body, `data-testid="notice-form"`) || !strings.Contains(page.body, `action="/boards/lobby/announcements"`) {
		t.Fatalf("manager board has no announcement form: %.600s", page.body)
	}
	tok := csrfField.FindStringSubmatch(page.body)
	if tok == nil {
		t.Fatal("the announcement form has no CSRF token")
	}
	text := `CRM is down <script>alert(1)</script> use the fallback form`
	form := url.Values{"text": {text}, "level": {"urgent"}, "boards": {"lobby"}, "expires_in": {"1h"}}
	if r := do(t, admin, "POST", e.ts.URL+"/boards/lobby/announcements", form); r.code != http.StatusForbidden {
		t.Errorf("post without the CSRF token: %d, want 403", r.code)
	}
	if got := e.feed.Active(""); len(got) != 0 {
		t.Fatalf("the refused post is active: %+v", got)
	}
	form.Set("csrf_token", tok[1])
	if r := do(t, admin, "POST", e.ts.URL+"/boards/lobby/announcements", form); r.code != http.StatusSeeOther {
		t.Fatalf("post: %d %.300s, want 303", r.code, r.body)
	}
	escaped := `CRM is down &lt;script&gt;alert(1)&lt;/script&gt; use the fallback form`
	msg := readUntil(t, ctx, lobby, `id="tile-urgent"`)
	if !strings.Contains(msg, escaped) || strings.Contains(msg, "<script>") {
		t.Errorf("lobby wall's urgent band does not show the escaped text: %.600s", msg)
	}

	// A second one for demo only: the demo wall gets it without ever getting lobby's.
	form.Set("text", "Demo board only")
	form.Set("boards", "demo")
	form.Set("level", "info")
	if r := do(t, admin, "POST", e.ts.URL+"/boards/lobby/announcements", form); r.code != http.StatusSeeOther {
		t.Fatalf("post to demo: %d %.300s", r.code, r.body)
	}
	readNotUntil(t, ctx, demo, "Demo board only", "CRM is down")

	page = do(t, admin, "GET", e.ts.URL+"/boards/lobby", nil)
	row := regexp.MustCompile(`data-testid="notice-row" data-notice-id="(an_[0-9a-f]+)"`).FindStringSubmatch(page.body)
	if row == nil || !strings.Contains(page.body, escaped) || strings.Contains(page.body, "Demo board only") {
		t.Fatalf("lobby's manager board does not list exactly its announcement: %.800s", page.body)
	}
	if !strings.Contains(page.body, `action="/boards/lobby/announcements/`+row[1]+`/withdraw"`) {
		t.Fatalf("no withdraw form for %s", row[1])
	}
	token := csrfDataToken.FindStringSubmatch(page.body)
	if token == nil {
		t.Fatal("no CSRF token for the withdraw forms")
	}
	withdraw := e.ts.URL + "/boards/lobby/announcements/" + row[1] + "/withdraw"
	if r := do(t, admin, "POST", withdraw, url.Values{}); r.code != http.StatusForbidden {
		t.Errorf("withdraw without the CSRF token: %d, want 403", r.code)
	}
	if r := do(t, admin, "POST", withdraw, url.Values{"csrf_token": {token[1]}}); r.code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %.300s", r.code, r.body)
	}
	for {
		msg := readUntil(t, ctx, lobby, `id="tile-urgent"`)
		if !strings.Contains(msg, "CRM is down") {
			break // the band, re-sent without it
		}
	}
	if got := e.feed.Active("lobby"); len(got) != 0 {
		t.Errorf("lobby after the withdrawal: %+v", got)
	}
}

// TestAnnouncementAPI: a token with the announce scope posts, lists and withdraws;
// a read-only token may list but not post; bad input is a 400 that says why.
func TestAnnouncementAPI(t *testing.T) {
	e := newNoticeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lobby, _ := e.walls(t, ctx)

	bad := []struct{ name, body, want string }{
		{"too long", `{"text":"` + strings.Repeat("x", 281) + `","level":"info","expires_in":"1h"}`, "longer than 280"},
		{"unknown board", `{"text":"hi","level":"info","boards":["attic"],"expires_in":"1h"}`, "unknown board"},
		{"bad expiry", `{"text":"hi","level":"info","expires_in":"soon"}`, "expires_in must be"},
		{"past expiry", `{"text":"hi","level":"info","expires_at":"2001-01-01T00:00:00Z"}`, "not in the future"},
		{"no expiry", `{"text":"hi","level":"info"}`, "needs an expiry"},
		{"level", `{"text":"hi","level":"loud","expires_in":"1h"}`, `level \"loud\"`},
		{"unknown field", `{"text":"hi","level":"info","expires_in":"1h","colour":"red"}`, "unknown field"},
		{"not json", `text=hi`, "JSON object"},
	}
	for _, c := range bad {
		r := e.api(t, "POST", "/api/v1/announcements", e.announcer, c.body)
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d %s, want 400 saying %q", c.name, r.code, r.body, c.want)
		}
	}
	if r := e.api(t, "POST", "/api/v1/announcements", e.reader, `{"text":"hi","level":"info","expires_in":"1h"}`); r.code != http.StatusForbidden {
		t.Errorf("read-only token posting: %d %s, want 403", r.code, r.body)
	}
	if r := e.api(t, "POST", "/api/v1/announcements", "", `{"text":"hi","level":"info","expires_in":"1h"}`); r.code != http.StatusForbidden {
		t.Errorf("anonymous post (no token, no CSRF): %d, want 403", r.code)
	}
	if len(e.feed.Active("")) != 0 {
		t.Fatalf("refused posts are active: %+v", e.feed.Active(""))
	}

	r := e.api(t, "POST", "/api/v1/announcements", e.announcer, `{"text":"Phones down in Berlin","level":"info","boards":["all"],"expires_in":"2h"}`)
	var a announce.Announcement
	if err := json.Unmarshal([]byte(r.body), &a); r.code != http.StatusCreated || err != nil || a.ID == "" || a.By != "Status page" || len(a.Boards) != 0 {
		t.Fatalf("post: %d %s (%v), want 201 with an all-boards announcement by the token", r.code, r.body, err)
	}
	if msg := readUntil(t, ctx, lobby, `id="tile-ticker"`); !strings.Contains(msg, "Phones down in Berlin") {
		t.Errorf("lobby's ticker lacks the announcement: %.400s", msg)
	}
	for _, secret := range []string{e.reader, e.announcer} {
		r := e.api(t, "GET", "/api/v1/announcements?board=lobby", secret, "")
		var body announcementsBody
		if err := json.Unmarshal([]byte(r.body), &body); r.code != http.StatusOK || err != nil || len(body.Announcements) != 1 || body.Announcements[0].ID != a.ID {
			t.Errorf("GET /api/v1/announcements: %d %s, want the one", r.code, r.body)
		}
	}
	if r := e.api(t, "DELETE", "/api/v1/announcements/"+a.ID, e.reader, ""); r.code != http.StatusForbidden {
		t.Errorf("read-only token withdrawing: %d, want 403", r.code)
	}
	if r := e.api(t, "DELETE", "/api/v1/announcements/"+a.ID, e.announcer, ""); r.code != http.StatusNoContent {
		t.Errorf("withdraw: %d %s, want 204", r.code, r.body)
	}
	if r := e.api(t, "DELETE", "/api/v1/announcements/"+a.ID, e.announcer, ""); r.code != http.StatusNotFound {
		t.Errorf("withdraw again: %d, want 404", r.code)
	}

	// A signed-in manager may use the API too, with the CSRF header.
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)
	page := do(t, mgr, "GET", e.ts.URL+"/boards/lobby", nil)
	tok := csrfDataToken.FindStringSubmatch(page.body)
	if tok == nil {
		t.Fatal("no CSRF token on the manager board")
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/announcements", strings.NewReader(`{"text":"Team meeting at 3","level":"info","boards":["lobby"],"expires_in":"30m"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(auth.CSRFHeader, tok[1])
	res, err := mgr.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("manager's API post with the CSRF header: %d, want 201", res.StatusCode)
	}
}

// TestAnnouncementExpires: an announcement leaves the wall at its expiry by the
// server's own timer (nothing else happens meanwhile: no snapshot, no page action).
func TestAnnouncementExpires(t *testing.T) {
	e := newNoticeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lobby, _ := e.walls(t, ctx)
	r := e.api(t, "POST", "/api/v1/announcements", e.announcer, `{"text":"Short-lived","level":"urgent","boards":["lobby"],"expires_in":"1500ms"}`)
	if r.code != http.StatusCreated {
		t.Fatalf("post: %d %s", r.code, r.body)
	}
	if msg := readUntil(t, ctx, lobby, `id="tile-urgent"`); !strings.Contains(msg, "Short-lived") {
		t.Fatalf("the urgent band lacks the announcement: %.400s", msg)
	}
	msg := readUntil(t, ctx, lobby, `id="tile-urgent"`) // the next change of the band: its expiry
	if strings.Contains(msg, "Short-lived") || !regexp.MustCompile(`id="tile-urgent"[^>]* hidden`).MatchString(msg) {
		t.Errorf("after the expiry the urgent band is not empty and hidden: %.400s", msg)
	}
	if got := e.feed.Active(""); len(got) != 0 {
		t.Errorf("still active after the expiry: %+v", got)
	}
}

// FuzzAnnounceRequest: any body either parses into a draft with an expiry (the feed
// then checks its range), or is refused with a short reason that does not echo it.
func FuzzAnnounceRequest(f *testing.F) {
	for _, s := range []string{
		`{"text":"CRM is down","level":"urgent","boards":["floor"],"expires_in":"30m"}`,
		`{"text":"x","level":"info","expires_at":"2026-03-02T14:30:00Z"}`,
		`{"text":"x","expires_in":"1h","expires_at":"2026-03-02T14:30:00Z"}`,
		`{"text":1}`, `{"boards":"all"}`, `{"` + strings.Repeat("a", 5000) + `":1}`, `[]`, `{}{}`, ``, `{"expires_in":"-5m"}`, `{"text":"\u202e"}`,
	} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		d, err := parseAnnounceRequest(strings.NewReader(body), now)
		if err != nil {
			if len(err.Error()) > 300 {
				t.Fatalf("reason of %d bytes: %.100s…", len(err.Error()), err)
			}
			return
		}
		if d.ExpiresAt.IsZero() {
			t.Fatalf("parsed %q into a draft without an expiry", body)
		}
	})
}
