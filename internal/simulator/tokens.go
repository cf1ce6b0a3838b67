package simulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"sync"
	"time"
)

// Tokens is a vendor's store of issued bearer and refresh tokens, by real time
// (Config.Clock). Each vendor's routes keep their own, so one vendor's token is never
// accepted by another.
type Tokens struct {
	mu sync.Mutex
	m  map[string]token
}

// token is an issued bearer or refresh token.
type token struct {
	refresh bool
	expires time.Time // real time
}

// NewTokens returns an empty store.
func NewTokens() *Tokens { return &Tokens{m: map[string]token{}} }

// Issue stores a new random token that expires ttl after now and returns its text.
// Expired tokens are dropped on the way, so the store stays small. Tokens come from
// crypto/rand, never from the world's seeded source: issuing one must not change the
// simulation.
func (t *Tokens) Issue(ttl time.Duration, refresh bool, now time.Time) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	text := base64.RawURLEncoding.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, tk := range t.m {
		if !now.Before(tk.expires) {
			delete(t.m, k)
		}
	}
	t.m[text] = token{refresh: refresh, expires: now.Add(ttl)}
	return text
}

// Valid reports whether text is a live access (not refresh) token at now.
func (t *Tokens) Valid(text string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	tk, ok := t.m[text]
	return ok && text != "" && !tk.refresh && now.Before(tk.expires)
}

// UseRefresh consumes a live refresh token (each works once).
func (t *Tokens) UseRefresh(text string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	tk, ok := t.m[text]
	if !ok || !tk.refresh || text == "" || !now.Before(tk.expires) {
		return false
	}
	delete(t.m, text)
	return true
}

// SecretEqual compares a presented secret with the configured one in constant time;
// an unset secret never matches.
func SecretEqual(presented, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(presented), []byte(want)) == 1
}
