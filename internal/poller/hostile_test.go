package poller

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// recorder is a listener that must never be reached: it records what arrives.
type recorder struct {
	mu   sync.Mutex
	hits []string // "METHOD path auth=... body=..."
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.hits = append(r.hits, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization")+" body="+string(b))
	r.mu.Unlock()
	w.Write([]byte(`{"a":1,"access_token":"stolen"}`))
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.hits...)
}

// localhostURL rewrites a 127.0.0.1 test server URL to the host name localhost: another
// host for the origin rule, still loopback.
func localhostURL(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }

// TestClientRefusesCrossOriginRedirects: a vendor redirect to another scheme, host or
// port is refused before anything is sent there — no Authorization, no password body,
// no data accepted from the target — and the error says what to check.
func TestClientRefusesCrossOriginRedirects(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	other := httptest.NewServer(rec)
	t.Cleanup(other.Close)
	_, otherPort, _ := net.SplitHostPort(other.Listener.Addr().String())

	tests := []struct {
		name     string
		status   int
		method   string
		location func(self string) string
	}{
		{"307 POST to another host", http.StatusTemporaryRedirect, http.MethodPost, func(string) string { return localhostURL(other.URL) + "/steal" }},
		{"302 to the same host, other port", http.StatusFound, http.MethodGet, func(string) string { return "http://127.0.0.1:" + otherPort + "/steal" }},
		{"308 to another scheme", http.StatusPermanentRedirect, http.MethodGet, func(self string) string { return strings.Replace(self, "http://", "https://", 1) + "/x" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var self string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, tc.location(self), tc.status)
			}))
			defer srv.Close()
			self = srv.URL
			c := &Client{HTTP: srv.Client(), Timeout: 10 * time.Second}
			req, _ := http.NewRequest(tc.method, srv.URL+"/oauth/token", strings.NewReader("grant_type=password&password=SECRET-pw"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("agent@example.com", "SECRET-key")
			var out map[string]any
			err := c.Do(context.Background(), req, "test op", &out)
			var pe *Error
			if !errors.As(err, &pe) || pe.Kind != snapshot.ErrRequest || !errors.Is(err, ErrRedirected) {
				t.Fatalf("Do = %v (out %v), want a refused redirect as a request error", err, out)
			}
			if got, want := pe.Summary(), "redirected to another host — check base_url (test op)"; got != want {
				t.Errorf("Summary = %q, want %q", got, want)
			}
		})
	}
	if hits := rec.seen(); len(hits) != 0 {
		t.Errorf("redirect target received %d requests (credentials left the origin): %q", len(hits), hits)
	}
}

// TestClientRefusesHTTPSDowngrade: https → http on the same host and port is refused.
func TestClientRefusesHTTPSDowngrade(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" {
			http.Redirect(w, r, "http://"+r.Host+"/plain", http.StatusFound)
			return
		}
		w.Write([]byte(`{"a":1}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client()}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
	if err := c.Do(context.Background(), req, "test op", nil); !errors.Is(err, ErrRedirected) {
		t.Fatalf("Do = %v, want ErrRedirected", err)
	}
}

// TestClientFollowsSameOriginRedirect: a redirect on the configured origin still works.
func TestClientFollowsSameOriginRedirect(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		w.Write([]byte(`{"a":1}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client()}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/old", nil)
	var out map[string]any
	if err := c.Do(context.Background(), req, "test op", &out); err != nil || out["a"] != 1.0 {
		t.Fatalf("Do = %v, %v; want the redirected answer", err, out)
	}
}

// TestRetryAfterCappedAtMaxBackoff: a vendor answering "Retry-After: 99999999" (28,000
// hours) gets its next poll within the source's maximum back-off (5 min by default).
func TestRetryAfterCappedAtMaxBackoff(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "99999999")
			w.WriteHeader(status)
		}))
		t.Cleanup(srv.Close)
		c := &Client{HTTP: srv.Client()}
		st := snapshot.NewStore()
		p := New(st, []SourceConfig{{Source: &httpSource{url: srv.URL, c: c, n: 1}, Client: c}}, nil, nil)
		startPoller(t, p)
		s := waitSnap(t, st, 10*time.Second, "a refused poll", func(s *snapshot.Snapshot) bool { return statusOf(s, "http").ConsecutiveFailures > 0 })
		ss := statusOf(s, "http")
		if wait := ss.NextPoll.Sub(ss.LastAttempt); wait > 5*time.Minute || wait <= 0 {
			t.Errorf("HTTP %d with Retry-After 99999999: next poll in %v, want at most 5m", status, wait)
		}
	}
}

// TestBodyFailuresNameTheCause: an answer over the size cap, or one whose body stalls
// past the timeout, says so instead of "200 from …".
func TestBodyFailuresNameTheCause(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		maxBody int64
		timeout time.Duration
		want    string
	}{
		{"over the size cap", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(`{"a":"` + strings.Repeat("x", 4096) + `"}`))
		}, 1024, 0, "answer over the size cap from test op"},
		{"body timeout", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Write([]byte(`{"a":`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, 0, 300 * time.Millisecond, "timeout reading the answer from test op"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			c := &Client{HTTP: srv.Client(), MaxBody: tc.maxBody, Timeout: tc.timeout}
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			err := c.Do(context.Background(), req, "test op", nil)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Do = %v, want an *Error", err)
			}
			if got := pe.Summary(); got != tc.want || strings.HasPrefix(got, "200") {
				t.Errorf("Summary = %q, want %q", got, tc.want)
			}
		})
	}
}
