package simulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// token is an issued Comm100 bearer or refresh token.
type token struct {
	refresh bool
	expires time.Time // real time
}

// refreshTTL bounds refresh tokens' life so unused ones do not pile up.
const refreshTTL = 14 * 24 * time.Hour

// newToken returns a random token text. Tokens come from crypto/rand, never from the
// world's seeded source: issuing one must not change the simulation.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func equal(a, b string) bool {
	return b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// comm100Authorized checks a Comm100 API call: HTTP Basic (email : API key) with the
// right siteId query parameter, or a live bearer token from /oauth/token.
func (s *Simulator) comm100Authorized(r *http.Request) bool {
	site := s.cfg.Comm100
	q := r.URL.Query().Get("siteId")
	if user, pass, ok := r.BasicAuth(); ok {
		return equal(user, site.Email) && equal(pass, site.APIKey) && q == strconv.Itoa(site.SiteID)
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || bearer == "" {
		return false
	}
	if q != "" && q != strconv.Itoa(site.SiteID) {
		return false
	}
	h := s.http
	h.mu.Lock()
	defer h.mu.Unlock()
	t, found := h.tokens[bearer]
	return found && !t.refresh && s.clock().Before(t.expires)
}

// comm100Auth wraps a Comm100 API handler with authentication.
func (s *Simulator) comm100Auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.comm100Authorized(r) {
			writeError(w, http.StatusUnauthorized, "invalid credentials")
			return
		}
		next(w, r)
	}
}

// handleComm100Token is POST /oauth/token: the password grant (email, password,
// client_id) and, for convenience, the refresh-token grant. Wrong credentials are 401
// with an OAuth error body.
func (s *Simulator) handleComm100Token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	site := s.cfg.Comm100
	f := r.PostForm
	switch f.Get("grant_type") {
	case "password":
		if !equal(f.Get("email"), site.Email) || !equal(f.Get("password"), site.Password) ||
			!equal(f.Get("client_id"), site.ClientID) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
			return
		}
	case "refresh_token":
		if !s.http.useRefresh(f.Get("refresh_token"), s.clock()) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
			return
		}
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	access, refresh := newToken(), newToken()
	now := s.clock()
	h := s.http
	h.mu.Lock()
	for k, t := range h.tokens { // drop expired tokens so the map stays small
		if !now.Before(t.expires) {
			delete(h.tokens, k)
		}
	}
	h.tokens[access] = token{expires: now.Add(site.TokenTTL)}
	h.tokens[refresh] = token{refresh: true, expires: now.Add(refreshTTL)}
	h.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "bearer",
		"expires_in": int(site.TokenTTL / time.Second), "refresh_token": refresh,
	})
}

// useRefresh consumes a refresh token (each works once).
func (h *httpState) useRefresh(rt string, now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.tokens[rt]
	if !ok || !t.refresh || rt == "" || !now.Before(t.expires) {
		return false
	}
	delete(h.tokens, rt)
	return true
}
