package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// TestConfigPageAdminsOnly: /admin/config and its reload button are for admins (a
// manager gets 403 and reloads nothing), the button runs the server's reloader once
// per press, and the page shows what it returned — refusal lines included.
func TestConfigPageAdminsOnly(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	e := newAuthEnv(t, func(o *Options) {
		o.ConfigFile = "/etc/ccdash/ccdash.yaml"
		o.Reload = func(context.Context) ReloadResult {
			calls.Add(1)
			return ReloadResult{Refused: true, Problems: []string{"config: boards[0].id: \"Floor\": use 1-64 lowercase letters"}}
		}
	})
	manager := e.client(t)
	e.login(t, manager, "manager", managerPW)
	if r := do(t, manager, "GET", e.ts.URL+"/admin/config", nil); r.code != http.StatusForbidden {
		t.Errorf("manager GET /admin/config: %d, want 403", r.code)
	}
	tok := e.csrfFrom(t, manager, "/logout")
	if r := do(t, manager, "POST", e.ts.URL+"/admin/config/reload", url.Values{"csrf_token": {tok}}); r.code != http.StatusForbidden {
		t.Errorf("manager POST reload: %d, want 403", r.code)
	}
	if calls.Load() != 0 {
		t.Fatal("a manager's request ran the reloader")
	}

	admin := e.client(t)
	e.login(t, admin, "admin", adminPW)
	page := do(t, admin, "GET", e.ts.URL+"/admin/config", nil)
	if page.code != http.StatusOK || !strings.Contains(page.body, "/etc/ccdash/ccdash.yaml") || !strings.Contains(page.body, `data-testid="reload-none"`) {
		t.Fatalf("admin GET /admin/config before a reload: %d %.400s", page.code, page.body)
	}
	tok = csrfField.FindStringSubmatch(page.body)[1]
	if r := do(t, admin, "POST", e.ts.URL+"/admin/config/reload", url.Values{"csrf_token": {tok}}); r.code != http.StatusSeeOther {
		t.Fatalf("admin POST reload: %d, want 303", r.code)
	}
	if calls.Load() != 1 {
		t.Errorf("reloader ran %d times for one press, want 1", calls.Load())
	}
	page = do(t, admin, "GET", e.ts.URL+"/admin/config", nil)
	for _, want := range []string{"Refused", "config: boards[0].id: &#34;Floor&#34;"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/admin/config after a refused reload lacks %q:\n%s", want, page.body)
		}
	}
}
