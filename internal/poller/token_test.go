package poller

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// tokenServer answers every POST with a token; release, when not nil, holds each
// answer until it is closed.
func tokenServer(t *testing.T, calls *atomic.Int64, release chan struct{}) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if release != nil {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprintf(w, `{"access_token":"tok-%d"}`, n)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fetchVia returns a TokenFetch that POSTs to the key URL through c.
func fetchVia(c *Client, life time.Duration, now func() time.Time) TokenFetch {
	return func(ctx context.Context, key string) (Token, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, key, strings.NewReader("grant_type=x"))
		if err != nil {
			return Token{}, err
		}
		var body struct {
			AccessToken string `json:"access_token"`
		}
		if err := c.Do(ctx, req, "test token", &body); err != nil {
			return Token{}, err
		}
		return Token{Value: body.AccessToken, RenewAt: now().Add(life)}, nil
	}
}

// TestTokenCacheCancelWhileBudgetExhausted: a token fetch waiting for an exhausted
// budget returns as soon as the poll's context is cancelled, instead of blocking for
// the rest of the budget window (it used context.Background, hanging shutdown).
func TestTokenCacheCancelWhileBudgetExhausted(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := tokenServer(t, &calls, nil)
	budget := NewBudget(1, time.Hour)
	if err := budget.Wait(t.Context()); err != nil { // spend the only request
		t.Fatal(err)
	}
	// Signal once the fetch has asked the budget (and been told to wait), so the cancel
	// below hits the budget wait, not the queue in front of it.
	asked := make(chan struct{}, 1)
	budget.now = func() time.Time {
		select {
		case asked <- struct{}{}:
		default:
		}
		return time.Now()
	}
	tc := NewTokenCache(fetchVia(&Client{Budget: budget}, time.Hour, time.Now), nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := tc.Token(ctx, srv.URL, "test token")
		done <- err
	}()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("Token never reached the request budget")
	}
	cancel()
	select {
	case err := <-done:
		var pe *Error
		if !errors.As(err, &pe) || pe.Kind != snapshot.ErrTimeout || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want *Error kind %s wrapping context.Canceled", err, snapshot.ErrTimeout)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Token still blocked on the budget after its context was cancelled")
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("token requests = %d, want 0", got)
	}
	// A second caller, queued behind nobody, also honours its own context.
	if _, err := tc.Token(ctx, srv.URL, "test token"); !errors.Is(err, context.Canceled) {
		t.Errorf("second Token err = %v, want context.Canceled", err)
	}
}

// TestTokenCacheNoLockAcrossFetch: while one caller's fetch hangs on the network, a
// second caller whose context ends returns at once, Invalidate does not wait, and
// once the answer comes every waiter shares that one token.
func TestTokenCacheNoLockAcrossFetch(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	release := make(chan struct{})
	srv := tokenServer(t, &calls, release)
	tc := NewTokenCache(fetchVia(&Client{Timeout: time.Minute}, time.Hour, time.Now), nil)

	var wg sync.WaitGroup
	got := make(chan string, 5)
	for range 5 {
		wg.Go(func() {
			tok, err := tc.Token(t.Context(), srv.URL, "test token")
			if err != nil {
				t.Errorf("Token: %v", err)
			}
			got <- tok
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for calls.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if calls.Load() == 0 {
		t.Fatal("no fetch reached the server")
	}

	// The fetch is in flight, blocked in the server.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := tc.Token(ctx, srv.URL, "test token"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller during a fetch: err = %v, want context.Canceled", err)
	}
	invalidated := make(chan struct{})
	go func() { tc.Invalidate(); close(invalidated) }()
	select {
	case <-invalidated:
	case <-time.After(10 * time.Second):
		t.Fatal("Invalidate blocked behind a fetch in flight")
	}

	close(release)
	wg.Wait()
	close(got)
	for tok := range got {
		if tok != "tok-1" {
			t.Errorf("waiter got %q, want the one shared tok-1", tok)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1 shared fetch", n)
	}
}

// TestTokenCacheKeyAndRenewal: a token is reused until RenewAt by the cache's clock,
// never for another endpoint, and fetched again after Invalidate.
func TestTokenCacheKeyAndRenewal(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := tokenServer(t, &calls, nil)
	clock := time.Now()
	now := func() time.Time { return clock }
	tc := NewTokenCache(fetchVia(&Client{}, time.Minute, now), now)
	get := func(key string) string {
		t.Helper()
		tok, err := tc.Token(t.Context(), key, "test token")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	steps := []struct {
		name    string
		before  func()
		key     string
		wantTok string
	}{
		{"first fetch", func() {}, srv.URL, "tok-1"},
		{"cached", func() {}, srv.URL, "tok-1"},
		{"other endpoint", func() {}, srv.URL + "/other", "tok-2"},
		{"renewed at RenewAt", func() { clock = clock.Add(2 * time.Minute) }, srv.URL + "/other", "tok-3"},
		{"after Invalidate", tc.Invalidate, srv.URL + "/other", "tok-4"},
	}
	for _, s := range steps {
		s.before()
		if got := get(s.key); got != s.wantTok {
			t.Errorf("%s: token %q, want %q", s.name, got, s.wantTok)
		}
	}
}
