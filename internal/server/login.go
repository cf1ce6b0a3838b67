package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// handleLoginForm shows the sign-in form. Its CSRF token needs no session (a signed
// nonce cookie), so an anonymous visitor stores nothing; signing in starts the session
// (auth.Login renews its token: no fixation).
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, views.LoginPageProps{Next: safeNext(r.URL.Query().Get("next"))})
}

// handleLogin checks the rate limit before the password (a throttled attempt costs
// no bcrypt work and reveals nothing even with the right password), then signs in.
// Allow counts the attempt as it lets it through, so parallel guesses cannot all
// pass before the first failure is recorded.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	name, pw := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	props := views.LoginPageProps{Next: next, User: name}
	ip, now := s.auth.clientIP(r), s.now()
	if ok, retry := s.auth.limiter.Allow(name, ip, now); !ok {
		props.Error = auth.TooManyAttemptsMessage(retry)
		w.Header().Set("Retry-After", itoa(int(retry.Seconds())+1))
		s.renderLogin(w, r, http.StatusTooManyRequests, props)
		return
	}
	u, err := s.auth.users.Authenticate(name, pw)
	if err != nil {
		// The account name is not logged: it may be a password typed in the wrong box.
		s.log.Info("login failed", "ip", ip)
		props.Error = "Wrong user name or password."
		s.renderLogin(w, r, http.StatusUnauthorized, props)
		return
	}
	s.auth.limiter.Success(name, ip, now)
	if err := auth.Login(r.Context(), s.auth.sessions, u); err != nil {
		s.failHTML(w, r, failed("Signing in failed; please try again.", fmt.Errorf("login: %w", err)))
		return
	}
	s.log.Info("login", "user", u.Name, "role", u.Role)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogoutForm confirms signing out: a link cannot carry the CSRF token.
func (s *Server) handleLogoutForm(w http.ResponseWriter, r *http.Request) {
	p, _ := s.auth.resolver.Resolve(r)
	if !p.IsUser() {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.renderHTML(w, r, http.StatusOK, views.LogoutPage(views.LogoutPageProps{
		CSRF: auth.CSRFToken(r.Context()), User: p.Name,
	}))
}

// handleLogout destroys the session in the store (a replayed cookie then identifies
// nobody) and closes the sockets opened with it.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	key := auth.SessionKey(r.Context(), s.auth.sessions)
	if err := auth.Logout(r.Context(), s.auth.sessions); err != nil {
		s.failHTML(w, r, failed("Signing out failed; please try again.", fmt.Errorf("logout: %w", err)))
		return
	}
	if key != "" {
		s.hub.Kick(key, "signed out")
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, code int, p views.LoginPageProps) {
	p.CSRF = auth.CSRFToken(r.Context())
	s.renderHTML(w, r, code, views.LoginPage(p))
}

// renderHTML renders c into a buffer first, so a failure is a clean 500.
func (s *Server) renderHTML(w http.ResponseWriter, r *http.Request, code int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.failHTML(w, r, fmt.Errorf("server: render: %w", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
