package server

import (
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
