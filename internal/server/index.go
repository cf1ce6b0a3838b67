package server

import "net/http"

// handleIndex sends visitors to the first configured board's manager view.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/boards/"+s.boardOrder[0], http.StatusSeeOther)
}
