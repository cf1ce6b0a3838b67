package comm100

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// refreshTTL bounds refresh tokens' life so unused ones do not pile up.
const refreshTTL = 14 * 24 * time.Hour

// comm100Authorized checks a Comm100 API call: HTTP Basic (email : API key) with the
// right siteId query parameter, or a live bearer token from /oauth/token.
func (s *server) comm100Authorized(r *http.Request) bool {
	site := s.cfg.Comm100
	q := r.URL.Query().Get("siteId")
	if user, pass, ok := r.BasicAuth(); ok {
		return simulator.SecretEqual(user, site.Email) && simulator.SecretEqual(pass, site.APIKey) && q == strconv.Itoa(site.SiteID)
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || bearer == "" {
		return false
	}
	if q != "" && q != strconv.Itoa(site.SiteID) {
		return false
	}
	return s.tokens.Valid(bearer, s.clock())
}

// comm100Auth wraps a Comm100 API handler with authentication.
func (s *server) comm100Auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.comm100Authorized(r) {
			simulator.WriteError(w, http.StatusUnauthorized, "invalid credentials")
			return
		}
		next(w, r)
	}
}

// handleComm100Token is POST /oauth/token: the password grant (email, password,
// client_id) and, for convenience, the refresh-token grant. Wrong credentials are 401
// with an OAuth error body.
func (s *server) handleComm100Token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	if err := r.ParseForm(); err != nil {
		simulator.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	site := s.cfg.Comm100
	f := r.PostForm
	switch f.Get("grant_type") {
	case "password":
		if !simulator.SecretEqual(f.Get("email"), site.Email) || !simulator.SecretEqual(f.Get("password"), site.Password) ||
			!simulator.SecretEqual(f.Get("client_id"), site.ClientID) {
			simulator.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
			return
		}
	case "refresh_token":
		if !s.tokens.UseRefresh(f.Get("refresh_token"), s.clock()) {
			simulator.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
			return
		}
	default:
		simulator.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	now := s.clock()
	access := s.tokens.Issue(site.TokenTTL, false, now)
	refresh := s.tokens.Issue(refreshTTL, true, now)
	w.Header().Set("Cache-Control", "no-store")
	simulator.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "bearer",
		"expires_in": int(site.TokenTTL / time.Second), "refresh_token": refresh,
	})
}
