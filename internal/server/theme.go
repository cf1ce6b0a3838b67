package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/views"
)

// handleThemeCSS serves /theme/{board}.css, a board's accent colour as a stylesheet:
// pages carry no inline styles (strict CSP), so a per-board colour comes this way.
// It holds nothing secret, and an unknown board gets an empty sheet rather than a
// 404, so the route tells nobody which boards exist.
func (s *Server) handleThemeCSS(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".css")
	var css []byte
	if b, known := s.boards[id]; ok && known {
		css = views.ThemeCSS(b)
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(css)
}
