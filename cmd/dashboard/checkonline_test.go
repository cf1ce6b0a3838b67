package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// countingSim is the simulator's vendor APIs behind a request counter.
type countingSim struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int // by path
}

func startCountingSim(t *testing.T) *countingSim {
	t.Helper()
	sim := simulator.New(simulator.DefaultCredentials())
	h := sim.Handler(simcomm100.Routes, simliveperson.Routes)
	cs := &countingSim{hits: map[string]int{}}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.hits[r.URL.Path]++
		cs.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingSim) requests() (total int, paths []string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for p, n := range cs.hits {
		total += n
		paths = append(paths, p)
	}
	return total, paths
}

// onlineConfig is a config with one source of each auth kind against url: Comm100
// OAuth, Comm100 API key (c100key) and LivePerson OAuth 1.0; apiKey and lpSecret
// are the credentials under test.
func onlineConfig(t *testing.T, url, apiKey, lpSecret string) string {
	t.Helper()
	c := simulator.DefaultCredentials()
	y := `data_dir: ` + filepath.Join(t.TempDir(), "data") + `
sources:
  - id: c100
    kind: comm100
    comm100: {base_url: "` + url + `/v4", token_url: "` + url + `/oauth/token", site_id: ` + strconv.Itoa(c.Comm100.SiteID) + `,
      email: "` + c.Comm100.Email + `", client_id: "` + c.Comm100.ClientID + `", password: "` + c.Comm100.Password + `"}
  - id: c100key
    kind: comm100
    comm100: {base_url: "` + url + `/v4", site_id: ` + strconv.Itoa(c.Comm100.SiteID) + `, email: "` + c.Comm100.Email + `", api_key: "` + apiKey + `"}
  - id: lp
    kind: liveperson
    liveperson: {account_id: "` + c.LivePerson.AccountID + `", domain_url: "` + url + `", app_key: "` + c.LivePerson.ConsumerKey + `",
      secret: "` + lpSecret + `", access_token: "` + c.LivePerson.Token + `", access_token_secret: "` + c.LivePerson.TokenSecret + `"}
`
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckConfigOnlineAgainstSimulator: with the simulator's credentials every
// source says "credentials OK", at one authenticated request each (plus Comm100's
// token request and LivePerson's Domain API look-up).
func TestCheckConfigOnlineAgainstSimulator(t *testing.T) {
	t.Parallel()
	sim := startCountingSim(t)
	c := simulator.DefaultCredentials()
	path := onlineConfig(t, sim.URL, c.Comm100.APIKey, c.LivePerson.ConsumerSecret)
	var out bytes.Buffer
	if err := runCheckConfig(t.Context(), []string{"--online", path}, env(nil), &out, &out); err != nil {
		t.Fatalf("check-config --online: %v\n%s", err, out.String())
	}
	for _, want := range []string{"sources[0] (c100): credentials OK", "sources[1] (c100key): credentials OK", "sources[2] (lp): credentials OK"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// c100: token + RightNow; c100key: RightNow; lp: domain look-up + queuestate.
	if total, paths := sim.requests(); total != 5 {
		t.Errorf("%d requests to the vendors (%v), want 5: one authenticated call per source", total, paths)
	}
}

// TestCheckConfigOnlineWrongKey: a wrong Comm100 API key and a wrong LivePerson
// secret each say the auth error, the good source still says OK, and the check
// fails (exit 1) without printing any credential.
func TestCheckConfigOnlineWrongKey(t *testing.T) {
	t.Parallel()
	sim := startCountingSim(t)
	path := onlineConfig(t, sim.URL, "c100-WRONG-key-31f", "lp-WRONG-secret-8e2")
	var out bytes.Buffer
	err := runCheckConfig(t.Context(), []string{"--online", path}, env(nil), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "2 of 3 sources failed") {
		t.Fatalf("check-config --online with wrong keys: %v, want 2 of 3 failed\n%s", err, out.String())
	}
	for _, want := range []string{
		"sources[0] (c100): credentials OK",
		"sources[1] (c100key): credentials refused (401 from comm100 realTime/RightNow)",
		"sources[2] (lp): credentials refused (401 from liveperson queuestate)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if s := out.String(); strings.Contains(s, "WRONG") {
		t.Errorf("output shows a credential:\n%s", s)
	}
}
