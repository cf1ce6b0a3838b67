package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// handleEmbeds lists every board's embeddable tile ids (admins only): a tile id is
// what `dashboard embed-url --tile` takes, and skill tile ids come from the current
// snapshot, so this page is where an operator finds them. Below them are the signed
// links seen in use, each revocable.
func (s *Server) handleEmbeds(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	s.renderEmbeds(w, r, http.StatusOK, p, "")
}

func (s *Server) renderEmbeds(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, errText string) {
	props := views.EmbedsPageProps{Header: views.SiteHeader{
		Links: []views.NavLink{{Label: "Boards", Href: "/"}},
		User:  p.Name, Admin: true, Active: "/admin/embeds", Version: s.opts.Build.String(),
	}, CSRF: auth.CSRFToken(r.Context()), Error: errText, Revocable: s.auth.opts.EmbedLinks != nil}
	snap := s.opts.Store.Load()
	for _, b := range s.Boards() {
		props.Boards = append(props.Boards, views.EmbedTiles(b, snap))
	}
	if s.auth.opts.EmbedLinks != nil {
		links, err := s.auth.opts.EmbedLinks.List(r.Context())
		if err != nil {
			s.failHTML(w, r, failed("Listing embed links failed.", err))
			return
		}
		for _, l := range links {
			props.Links = append(props.Links, embedLinkRow(l))
		}
	}
	s.renderHTML(w, r, code, views.EmbedsPage(props))
}

func embedLinkRow(l auth.EmbedLink) views.EmbedLinkRow {
	row := views.EmbedLinkRow{ID: l.ID, Board: l.Board, Tile: l.Tile, Expires: "never", Revoked: l.Revoked,
		FirstSeen: l.FirstSeen.UTC().Format(time.RFC3339), LastSeen: l.LastSeen.UTC().Format(time.RFC3339)}
	if !l.Expires.IsZero() {
		row.Expires = l.Expires.UTC().Format(time.RFC3339)
	}
	return row
}

// handleEmbedRevoke revokes one embed link and closes its sockets now (4003): the
// iframe reloads and says the link was revoked. Other links keep working.
func (s *Server) handleEmbedRevoke(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	if s.auth.opts.EmbedLinks == nil {
		s.failHTML(w, r, refuse(errUnavailable, "Embed links cannot be revoked one by one on this server."))
		return
	}
	id := chi.URLParam(r, "id")
	err := s.auth.opts.EmbedLinks.Revoke(r.Context(), id)
	if errors.Is(err, auth.ErrUnknownEmbedLink) {
		s.renderEmbeds(w, r, http.StatusNotFound, p, "There is no such embed link.")
		return
	}
	if err != nil {
		s.failHTML(w, r, failed("Revoking the embed link failed.", err))
		return
	}
	n := s.kick(r.Context(), auth.EmbedLinkKey(id), "this embed link was revoked")
	s.log.Info("embed link revoked", "link", id, "by", p.Name, "sockets", n)
	http.Redirect(w, r, "/admin/embeds", http.StatusSeeOther)
}
