package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// access is what a principal may do with one board view.
type access int

const (
	accessOK      access = iota
	accessLogin          // anonymous on a private board: sign in (or 401 for embeds, /ws, JSON)
	accessDenied         // a credential for something else: 403
	accessUnknown        // no such board: 404
)

// authorize decides whether p may see board b as aud (tile for tile embeds). A device
// sees only the wall of its own board, an embed only its own board or tile, a user
// every board (their scope filters the figures), and anyone a board marked public.
func authorize(p auth.Principal, b views.Board, aud views.Audience, tile string) access {
	if b.Public {
		return accessOK
	}
	switch p.Kind {
	case auth.KindUser:
		if p.CanSeeBoard(b.ID) {
			return accessOK
		}
	case auth.KindDevice:
		if aud == views.Wall && p.CanSeeBoard(b.ID) {
			return accessOK
		}
	case auth.KindEmbed:
		if aud == views.Embed && p.CanSeeTile(b.ID, tile) {
			return accessOK
		}
	default:
		return accessLogin
	}
	return accessDenied
}

// scopeFor is the snapshot scope a page renders with: public boards are public as a
// whole; otherwise the principal's (a limited manager's skills, or all).
func scopeFor(p auth.Principal, b views.Board) snapshot.Scope {
	if b.Public {
		return snapshot.Scope{}
	}
	return p.Scope
}

// denyCredential answers a request whose credential was present but did not verify.
// The texts are for the person in front of the screen; none repeats the credential.
func (s *Server) denyCredential(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, auth.ErrRevoked):
		s.renderError(w, r, http.StatusForbidden, "This screen was unlinked. Ask an administrator for a new link.")
	case errors.Is(err, auth.ErrUnknownToken):
		s.renderError(w, r, http.StatusUnauthorized, "This screen's link is not valid. Ask an administrator for a new link.")
	case errors.Is(err, auth.ErrExpired):
		s.renderError(w, r, http.StatusUnauthorized, "This embed link has expired.")
	case errors.Is(err, auth.ErrBadSignature), errors.Is(err, auth.ErrMalformed), errors.Is(err, auth.ErrWeakKey):
		s.renderError(w, r, http.StatusUnauthorized, "This embed link is not valid.")
	default:
		s.log.Error("resolve credential", "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Something went wrong checking this link.")
	}
}

// deny answers a refused page request: anonymous visitors of a browser page are sent
// to the login page; embeds (no cookies in a cross-site iframe) get a 401 page.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, a access, aud views.Audience) {
	switch {
	case a == accessLogin && aud != views.Embed:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
	case a == accessLogin:
		s.renderError(w, r, http.StatusUnauthorized, "This embed needs a signed embed link.")
	default:
		s.renderError(w, r, http.StatusForbidden, "This link does not give access to this board.")
	}
}

// safeNext keeps post-login redirects on this site: a local absolute path only, never
// "//host" or "/\host" (which browsers treat as another origin).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
