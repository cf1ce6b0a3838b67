package comm100

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestComm100RedirectKeepsCredentialsHome: the token endpoint answering 307 to
// another host, or a data call answering 302 to the same host on another port, never
// hands the password grant or the API key to the target, and the source fails with an
// error that says to check base_url.
func TestComm100RedirectKeepsCredentialsHome(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization")+" body="+string(b))
		mu.Unlock()
		w.Write([]byte(`{"access_token":"x","expires_in":3600}`))
	}))
	t.Cleanup(thief.Close)

	tests := []struct {
		name   string
		oauth  bool
		status int
		path   string // the path that redirects
		to     string
		wantOp string
	}{
		{"token 307 to another host", true, http.StatusTemporaryRedirect, "/oauth/token",
			strings.Replace(thief.URL, "127.0.0.1", "localhost", 1) + "/oauth/token", "comm100 oauth/token"},
		{"data 302 to the same host, other port", false, http.StatusFound, "/v4/global/departments",
			thief.URL + "/v4/global/departments", "comm100 global/departments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, real := newFakeComm100(t, tc.oauth, exampleBodies(t))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == tc.path {
					http.Redirect(w, r, tc.to, tc.status)
					return
				}
				real.Config.Handler.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			s, _ := newTestComm100(t, srv, tc.oauth)
			_, err := s.Poll(context.Background())
			var pe *poller.Error
			if !errors.As(err, &pe) || pe.Kind != snapshot.ErrRequest || pe.Op != tc.wantOp {
				t.Fatalf("Poll = %v, want a request error on %s", err, tc.wantOp)
			}
			if want := "redirected to another host — check base_url (" + tc.wantOp + ")"; pe.Summary() != want {
				t.Errorf("Summary = %q, want %q", pe.Summary(), want)
			}
		})
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 0 {
			t.Errorf("redirect target received %q: credentials left the configured origin", got)
		}
	})
}

// TestComm100PageCountCapped: a vendor claiming pageCount 1e9 costs at most
// maxAgentPages requests in one poll, and the failure says paging was capped.
func TestComm100PageCountCapped(t *testing.T) {
	t.Parallel()
	bodies := exampleBodies(t)
	bodies["livechat/realTime/Agents"] = `{"total":3,"pageCount":1e9,"list":[{"agentId":"a","displayName":"A","currentStatusId":"00000000-0000-0000-0000-000000000002"}]}`
	f, srv := newFakeComm100(t, false, bodies)
	s, _ := newTestComm100(t, srv, false)
	_, err := s.Poll(context.Background())
	var pe *poller.Error
	if !errors.As(err, &pe) || !errors.Is(err, poller.ErrPageCap) {
		t.Fatalf("Poll = %v, want the page cap", err)
	}
	if n := f.count("livechat/realTime/Agents"); n > maxAgentPages || maxAgentPages > 20 {
		t.Errorf("Agents requests = %d (cap %d), want at most 20", n, maxAgentPages)
	}
	if got := pe.Summary(); !strings.Contains(got, "paging capped") {
		t.Errorf("Summary = %q, want it to say paging was capped", got)
	}
}

// TestComm100HostileNamesCleaned: names a vendor sends with bidi overrides, zero-width
// characters or 5,000 runes reach the published snapshot cleaned and capped, through
// the real poller path (snapshot.CleanPart, applied once per good Part).
func TestComm100HostileNamesCleaned(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("W", 5000)
	bodies := exampleBodies(t)
	bodies["livechat/realTime/Agents"] = `{"total":2,"pageCount":1,"list":[` +
		`{"agentId":"a1","displayName":"Ava \u202Egnp.exe\u200B","currentStatusId":"00000000-0000-0000-0000-000000000002"},` +
		`{"agentId":"a2","displayName":"` + long + `","currentStatusId":"00000000-0000-0000-0000-000000000002"}]}`
	_, srv := newFakeComm100(t, false, bodies)
	s, c := newTestComm100(t, srv, false)
	st := snapshot.NewStore()
	p := poller.New(st, []poller.SourceConfig{{Source: s, Client: c}}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	deadline := time.After(10 * time.Second)
	var snap *snapshot.Snapshot
	for snap == nil || len(snap.Agents) == 0 {
		ch := st.Changed()
		if snap = st.Load(); snap != nil && len(snap.Agents) > 0 {
			break
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatal("no snapshot with agents")
		}
	}
	names := map[string]string{}
	for _, a := range snap.Agents {
		names[a.ID] = a.Name
	}
	if got := names["a1"]; got != "Ava gnp.exe" {
		t.Errorf("a1 name = %q, want bidi and zero-width controls stripped", got)
	}
	if got := names["a2"]; utf8.RuneCountInString(got) != snapshot.MaxTextRunes || !strings.HasSuffix(got, "…") {
		t.Errorf("a2 name has %d runes (%q…), want %d ending in …", utf8.RuneCountInString(got), got[:10], snapshot.MaxTextRunes)
	}
}
