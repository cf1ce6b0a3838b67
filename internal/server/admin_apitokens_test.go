package server

import (
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ccdash/ccdash/internal/bolt"
)

// An admin creates a token on the admin page (shown once), the API accepts it, and
// revoking it there makes the API answer 401.
func TestAdminAPITokens(t *testing.T) {
	h := recordedHistory(t)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "tokens.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tokens, err := bolt.NewAPITokenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) { o.History = h; o.APITokens = tokens })
	admin, manager := e.client(t), e.client(t)
	e.login(t, admin, "admin", adminPW)
	e.login(t, manager, "manager", managerPW)
	if r := do(t, manager, "GET", e.ts.URL+"/admin/api-tokens", nil); r.code != 403 {
		t.Errorf("manager on the API token page: %d, want 403", r.code)
	}
	csrf := e.csrfFrom(t, admin, "/admin/api-tokens")
	r := do(t, admin, "POST", e.ts.URL+"/admin/api-tokens", url.Values{"csrf_token": {csrf}, "name": {"Grafana"}, "scope": {"read"}, "skills": {"comm100:a"}})
	secret := regexp.MustCompile(`ccd_[A-Za-z0-9_-]{43}`).FindString(r.body)
	if r.code != 200 || secret == "" {
		t.Fatalf("create: %d, no token in %.500s", r.code, r.body)
	}
	if r := bearerGet(t, historyURL(e, "comm100:a", "waiting"), secret); r.code != 200 {
		t.Errorf("new token: %d %s", r.code, r.body)
	}
	list := do(t, admin, "GET", e.ts.URL+"/admin/api-tokens", nil)
	if strings.Contains(list.body, secret) {
		t.Error("the token list shows the secret again")
	}
	m := regexp.MustCompile(`action="/admin/api-tokens/([0-9a-f]+)/revoke"`).FindStringSubmatch(list.body)
	if m == nil {
		t.Fatalf("no revoke form in %.500s", list.body)
	}
	if r := do(t, admin, "POST", e.ts.URL+"/admin/api-tokens/"+m[1]+"/revoke", url.Values{"csrf_token": {csrf}}); r.code != 303 {
		t.Errorf("revoke: %d %.300s", r.code, r.body)
	}
	if r := bearerGet(t, historyURL(e, "comm100:a", "waiting"), secret); r.code != 401 {
		t.Errorf("revoked token: %d, want 401", r.code)
	}
	// The form offers the announce scope, and a token made with it cannot read history.
	if page := do(t, admin, "GET", e.ts.URL+"/admin/api-tokens", nil); !strings.Contains(page.body, `<option value="announce">`) {
		t.Error("the scope list lacks announce")
	}
	r = do(t, admin, "POST", e.ts.URL+"/admin/api-tokens", url.Values{"csrf_token": {csrf}, "name": {"Status page"}, "scope": {"announce"}})
	ann := regexp.MustCompile(`ccd_[A-Za-z0-9_-]{43}`).FindString(r.body)
	if r.code != 200 || ann == "" {
		t.Fatalf("create an announce token: %d %.300s", r.code, r.body)
	}
	if r := bearerGet(t, historyURL(e, "comm100:a", "waiting"), ann); r.code != 403 {
		t.Errorf("announce-only token reading history: %d, want 403", r.code)
	}
	r = do(t, admin, "POST", e.ts.URL+"/admin/api-tokens", url.Values{"csrf_token": {csrf}, "name": {"x"}, "scope": {"write"}})
	if r.code != 400 || !strings.Contains(r.body, "unknown scope") {
		t.Errorf("unknown scope: %d, want 400 saying so", r.code)
	}
	if r := do(t, admin, "POST", e.ts.URL+"/admin/api-tokens", url.Values{"name": {"x"}, "scope": {"read"}}); r.code != 403 {
		t.Errorf("create without CSRF token: %d, want 403", r.code)
	}
}
