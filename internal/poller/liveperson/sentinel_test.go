package liveperson

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// sentinelServer serves the v2 token endpoint; body is the token JSON to answer.
func sentinelServer(t *testing.T, body string, calls *atomic.Int64) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/sentinel/api/v2/account/123/app/token" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" ||
			r.PostForm.Get("client_id") != "cid" || r.PostForm.Get("client_secret") != "csecret" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		time.Sleep(5 * time.Millisecond) // widen the window for a refresh stampede
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSentinelTokens(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("testdata/lp-sentinel_apptoken_1.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		body      string
		secret    string
		burst     bool // start with 10 concurrent callers
		sequence  int  // sequential Token calls after the burst
		wantCalls int64
		wantKind  snapshot.ErrorKind
	}{
		// The documented example has no expires_in and a long-expired JWT exp: the
		// default lifetime applies, so the token is reused.
		{name: "documented example cached", body: string(example), secret: "csecret", burst: true, sequence: 3, wantCalls: 1},
		{name: "expires_in honoured", body: `{"access_token":"a","token_type":"Bearer","expires_in":3600}`, secret: "csecret", burst: true, sequence: 3, wantCalls: 1},
		// A token that expires inside the renewal margin is fetched again each time.
		{name: "renewed before expiry", body: `{"access_token":"a","token_type":"Bearer","expires_in":60}`, secret: "csecret", sequence: 3, wantCalls: 3},
		{name: "bad secret is auth error", body: `{}`, secret: "wrong", wantKind: snapshot.ErrAuth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			srv := sentinelServer(t, tc.body, &calls)
			ts := newSentinelTokens(&poller.Client{}, "cid", tc.secret, nil)
			tokenURL := srv.URL + "/sentinel/api/v2/account/123/app/token"
			if tc.wantKind != "" {
				_, err := ts.Token(t.Context(), tokenURL, sentinelOp)
				var pe *poller.Error
				if !errors.As(err, &pe) || pe.Kind != tc.wantKind {
					t.Fatalf("err = %v, want *poller.Error kind %s", err, tc.wantKind)
				}
				return
			}
			if tc.burst {
				// A burst of concurrent callers shares one fetch.
				var wg sync.WaitGroup
				for range 10 {
					wg.Go(func() {
						if tok, err := ts.Token(t.Context(), tokenURL, sentinelOp); err != nil || tok == "" {
							t.Errorf("Token = %q, %v", tok, err)
						}
					})
				}
				wg.Wait()
				if got := calls.Load(); got != 1 {
					t.Errorf("token requests after concurrent burst = %d, want 1", got)
				}
			}
			for range tc.sequence - int(calls.Load()) {
				if _, err := ts.Token(t.Context(), tokenURL, sentinelOp); err != nil {
					t.Fatal(err)
				}
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("token requests = %d, want %d", got, tc.wantCalls)
			}
		})
	}
}

func TestJWTExpiry(t *testing.T) {
	t.Parallel()
	b, _ := os.ReadFile("testdata/lp-sentinel_apptoken_1.json")
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	// The example's payload has "exp":1524646270.
	if got, want := jwtExpiry(body.AccessToken), time.Unix(1524646270, 0); !got.Equal(want) {
		t.Errorf("jwtExpiry = %v, want %v", got, want)
	}
	if got := jwtExpiry("not.a-jwt"); !got.IsZero() {
		t.Errorf("jwtExpiry(garbage) = %v, want zero", got)
	}
}
