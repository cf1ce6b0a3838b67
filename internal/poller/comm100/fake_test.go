package comm100

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
)

// Credentials the fake Comm100 accepts.
const (
	fakeSiteID   = 10000
	fakeEmail    = "agent@example.com"
	fakeAPIKey   = "key-SECRET-1234"
	fakeClientID = "client-SECRET-5678"
	fakePassword = "pw-SECRET-9012"
)

// fakeComm100 is a Comm100 v4 API that serves fixed bodies and checks auth exactly
// as the docs describe: API key = Basic email:key plus siteId on every call; OAuth =
// form password grant with email/password/client_id, then Bearer.
type fakeComm100 struct {
	t      *testing.T
	oauth  bool
	bodies map[string]string // path below /v4/ → body
	// agentPages, when set, serves realTime/Agents by pageIndex (1-based).
	agentPages []string
	tokenLife  int // expires_in; zero means 43199

	mu      sync.Mutex
	hits    map[string]int
	tokens  []string
	revoked map[string]bool
	status  map[string]int // path → forced status
}

func newFakeComm100(t *testing.T, oauth bool, bodies map[string]string) (*fakeComm100, *httptest.Server) {
	t.Helper()
	f := &fakeComm100{t: t, oauth: oauth, bodies: bodies, hits: map[string]int{}, revoked: map[string]bool{}, status: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// fixture reads a testdata file.
func c100Fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// exampleBodies is every endpoint answered with the vendor examples.
func exampleBodies(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{
		"global/departments":         c100Fixture(t, "comm100-v4_departments_1.json"),
		"global/agents":              c100Fixture(t, "comm100-v4_global-agents_made.json"),
		"global/agentAwayStatuses":   c100Fixture(t, "comm100-v4_agentawaystatuses_1.json"),
		"livechat/agents":            c100Fixture(t, "comm100-v4_chatserver-agents_1.json"),
		"livechat/realTime/Agents":   c100Fixture(t, "comm100-v4_realtime-agents_2.json"),
		"livechat/realTime/Queue":    c100Fixture(t, "comm100-v4_realtime-queue_seed.json"),
		"livechat/realTime/Today":    c100Fixture(t, "comm100-v4_realtime-today_seed.json"),
		"livechat/realTime/RightNow": c100Fixture(t, "comm100-v4_realtime-rightnow_seed.json"),
	}
}

func (f *fakeComm100) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

// revokeAll makes every issued token invalid, as an expiry on the vendor side would.
func (f *fakeComm100) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, tok := range f.tokens {
		f.revoked[tok] = true
	}
}

func (f *fakeComm100) force(path string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[path] = status
}

func (f *fakeComm100) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/oauth/token" {
		f.hits["oauth/token"]++
		f.serveToken(w, r)
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v4/")
	if !ok || r.Method != http.MethodGet {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	f.hits[path]++
	if !f.authorized(r) {
		http.Error(w, `{"message":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	if st := f.status[path]; st != 0 {
		w.WriteHeader(st)
		return
	}
	body, ok := f.bodies[path]
	if path == "livechat/realTime/Agents" && f.agentPages != nil {
		page, err := strconv.Atoi(r.URL.Query().Get("pageIndex"))
		if err != nil || page < 1 || page > len(f.agentPages) || r.URL.Query().Get("pageSize") == "" {
			http.Error(w, "bad paging", http.StatusBadRequest)
			return
		}
		body, ok = f.agentPages[page-1], true
	}
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, body)
}

func (f *fakeComm100) authorized(r *http.Request) bool {
	if f.oauth {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return false
		}
		for _, t := range f.tokens {
			if t == tok && !f.revoked[tok] {
				return true
			}
		}
		return false
	}
	user, pass, ok := r.BasicAuth()
	return ok && user == fakeEmail && pass == fakeAPIKey && r.URL.Query().Get("siteId") == strconv.Itoa(fakeSiteID)
}

func (f *fakeComm100) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("grant_type") != "password" || r.PostForm.Get("email") != fakeEmail ||
		r.PostForm.Get("password") != fakePassword || r.PostForm.Get("client_id") != fakeClientID {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_grant"}`)
		return
	}
	tok := fmt.Sprintf("tok-%d-%d", len(f.tokens)+1, time.Now().UnixNano())
	f.tokens = append(f.tokens, tok)
	life := f.tokenLife
	if life == 0 {
		life = 43199
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": life, "refresh_token": "r-" + tok,
	})
}

// newTestComm100 builds a connector for srv with the given auth.
func newTestComm100(t *testing.T, srv *httptest.Server, oauth bool) (*Source, *poller.Client) {
	t.Helper()
	cfg := Config{BaseURL: srv.URL + "/v4", Email: fakeEmail}
	if oauth {
		cfg.TokenURL, cfg.ClientID, cfg.Password = srv.URL+"/oauth/token", fakeClientID, fakePassword
	} else {
		cfg.SiteID, cfg.APIKey = fakeSiteID, fakeAPIKey
	}
	c := &poller.Client{HTTP: srv.Client(), Timeout: 5 * time.Second}
	s, err := New(cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}
