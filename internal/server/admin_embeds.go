package server

import (
	"net/http"

	"github.com/ccdash/ccdash/internal/views"
)

// handleEmbeds lists every board's embeddable tile ids (admins only): a tile id is
// what `dashboard embed-url --tile` takes, and skill tile ids come from the current
// snapshot, so this page is where an operator finds them.
func (s *Server) handleEmbeds(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	props := views.EmbedsPageProps{Header: views.SiteHeader{
		Links: []views.NavLink{{Label: "Boards", Href: "/"}},
		User:  p.Name, Admin: true, Active: "/admin/embeds", Version: s.opts.Build.String(),
	}}
	snap := s.opts.Store.Load()
	for _, id := range s.boardOrder {
		props.Boards = append(props.Boards, views.EmbedTiles(s.boards[id], snap))
	}
	s.renderHTML(w, r, http.StatusOK, views.EmbedsPage(props))
}
