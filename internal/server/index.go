package server

import (
	"net/http"

	"github.com/ccdash/ccdash/internal/views"
)

// handleIndex lists the boards the viewer may see, in config order, with links to
// their manager, wall and embed views. Anonymous viewers see the public boards and a
// sign-in link; a board they may not open is not named.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	p, err := s.auth.resolver.Resolve(r)
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	props := views.IndexPageProps{Header: views.SiteHeader{
		Links: []views.NavLink{{Label: "Boards", Href: "/", Active: true}},
		Admin: p.IsAdmin(),
	}}
	if p.IsUser() {
		props.Header.User = p.Name
	}
	for _, b := range s.Boards() {
		if authorize(p, b, views.Manager, "") != accessOK {
			continue
		}
		props.Boards = append(props.Boards, views.BoardLink{
			ID: b.ID, Title: b.Title, Public: b.Public,
			Manager: "/boards/" + b.ID, Wall: "/wall/" + b.ID, Embed: "/embed/" + b.ID,
		})
	}
	s.renderHTML(w, r, http.StatusOK, views.IndexPage(props))
}
