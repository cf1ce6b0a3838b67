package poller

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Token is an access token and when to stop using it: the vendor connector decides
// how early to renew (Comm100 at 90% of the lifetime, LivePerson two minutes before
// expiry), the cache only compares RenewAt with its clock.
type Token struct {
	Value   string
	RenewAt time.Time
}

// TokenFetch gets a new token from the token endpoint key, under the caller's ctx and
// through the connector's Client (so it counts against the request budget and fails
// with a classified *Error).
type TokenFetch func(ctx context.Context, key string) (Token, error)

// TokenCache caches one vendor access token. Concurrent callers share one fetch
// (no stampede on the token endpoint after a restart or a 401), but no lock is held
// while the fetch runs: the mutex only guards the cached token and the fetch in
// flight, and every caller waits for that fetch under its own ctx, so a cancelled
// poll (shutdown) returns at once even while another caller's fetch is still waiting
// for the request budget or the network.
//
// The key names the token endpoint (LivePerson's comes from the Domain API and can
// move): a token fetched from another key is not reused.
type TokenCache struct {
	fetch TokenFetch
	now   func() time.Time

	mu     sync.Mutex
	tok    Token
	key    string
	flight *tokenFlight
}

// tokenFlight is one fetch in progress; done is closed when tok and err are set.
type tokenFlight struct {
	key  string
	done chan struct{}
	tok  Token
	err  error
}

// NewTokenCache returns a cache that gets tokens with fetch. now nil means time.Now.
func NewTokenCache(fetch TokenFetch, now func() time.Time) *TokenCache {
	if now == nil {
		now = time.Now
	}
	return &TokenCache{fetch: fetch, now: now}
}

// Token returns the cached token for key while it is before its RenewAt, else
// fetches a new one (or joins the fetch already running). op names the token call in
// the error a cancelled wait returns.
func (c *TokenCache) Token(ctx context.Context, key, op string) (string, error) {
	for {
		c.mu.Lock()
		if c.tok.Value != "" && c.key == key && c.now().Before(c.tok.RenewAt) {
			v := c.tok.Value
			c.mu.Unlock()
			return v, nil
		}
		f := c.flight
		if f == nil || f.key != key {
			f = &tokenFlight{key: key, done: make(chan struct{})}
			c.flight = f
			c.mu.Unlock()
			c.run(ctx, f)
		} else {
			c.mu.Unlock()
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return "", &Error{Kind: snapshot.ErrTimeout, Op: op, Err: ctx.Err()}
		}
		if f.err == nil {
			return f.tok.Value, nil
		}
		// The fetch we joined was cut short by its own caller's context: ours is
		// still live, so try again rather than fail a poll for someone else's cancel.
		if ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			continue
		}
		return "", f.err
	}
}

// run fetches without holding c.mu and publishes the outcome to f's waiters.
func (c *TokenCache) run(ctx context.Context, f *tokenFlight) {
	tok, err := c.fetch(ctx, f.key)
	c.mu.Lock()
	if c.flight == f {
		c.flight = nil
	}
	if err == nil {
		c.tok, c.key = tok, f.key
	}
	c.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)
}

// Invalidate drops the cached token, so the next Token fetches a new one (after a
// 401 on a data call: the token was revoked or the clocks disagree).
func (c *TokenCache) Invalidate() {
	c.mu.Lock()
	c.tok = Token{}
	c.mu.Unlock()
}
