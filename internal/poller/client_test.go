package poller

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestClientClassifiesAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		timeout   time.Duration
		maxBody   int64
		wantKind  snapshot.ErrorKind // "" means success
		wantRetry time.Duration
	}{
		{"ok", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"a":1}`)) }, 0, 0, "", 0},
		{"429 retry-after", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
		}, 0, 0, snapshot.ErrRateLimited, 3 * time.Second},
		{"401", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) }, 0, 0, snapshot.ErrAuth, 0},
		{"403", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(403) }, 0, 0, snapshot.ErrAuth, 0},
		{"404", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }, 0, 0, snapshot.ErrRequest, 0},
		{"503 retry-after", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(503)
		}, 0, 0, snapshot.ErrServer, 7 * time.Second},
		{"not json", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`<html>`)) }, 0, 0, snapshot.ErrBadResponse, 0},
		{"too large", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(`{"a":"` + strings.Repeat("x", 100) + `"}`))
		},
			0, 50, snapshot.ErrBadResponse, 0},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, 50 * time.Millisecond, 0, snapshot.ErrTimeout, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			c := &Client{Timeout: tc.timeout, MaxBody: tc.maxBody}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x?apiKey=SECRET", nil)
			var out map[string]any
			err := c.Do(context.Background(), req, "test op", &out)
			if c.Requests() != 1 {
				t.Errorf("Requests = %d, want 1", c.Requests())
			}
			if tc.wantKind == "" {
				if err != nil || out["a"] != 1.0 {
					t.Fatalf("Do = %v, out %v; want success", err, out)
				}
				return
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Kind != tc.wantKind || pe.RetryAfter != tc.wantRetry || pe.Op != "test op" {
				t.Fatalf("Do = %#v, want kind %s retry %v", err, tc.wantKind, tc.wantRetry)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(pe.Summary(), "SECRET") {
				t.Errorf("error leaks the URL: %v", err)
			}
			if tc.wantKind == snapshot.ErrRateLimited && c.RateLimited() != 1 {
				t.Errorf("RateLimited = %d, want 1", c.RateLimited())
			}
		})
	}
}

func TestClientNetworkErrorHidesURL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c := &Client{}
	req, _ := http.NewRequest(http.MethodGet, url+"/x?siteId=1&apiKey=SECRET", nil)
	_, err := c.Raw(context.Background(), req, "test op")
	var pe *Error
	if !errors.As(err, &pe) || pe.Kind != snapshot.ErrNetwork {
		t.Fatalf("Raw = %v, want a network *Error", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks the URL: %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"5", 5 * time.Second},
		{"-1", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"99999999", maxRetryAfter},
		{"99999999999999999999", 0}, // not an int64: ignored, not wrapped around
		{now.AddDate(5, 0, 0).Format(http.TimeFormat), maxRetryAfter},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := parseRetryAfter(tc.in, now); got != tc.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzRetryAfter: no header value gives a negative wait or one beyond maxRetryAfter
// (a huge value used to overflow time.Duration).
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"5", "99999999", "-1", "9223372036854775807", now.Add(time.Hour).Format(http.TimeFormat), "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d := parseRetryAfter(v, now); d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %v, want 0..%v", v, d, maxRetryAfter)
		}
	})
}
