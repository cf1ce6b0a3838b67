package server

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/views"
)

// maxLogoBytes caps what a logo request reads (the config checks the file at start).
const maxLogoBytes = 1 << 20

// handleTheme serves /theme/{board}.css, a board's accent colour as a stylesheet
// (pages carry no inline styles under the strict CSP, so a per-board colour comes
// this way), and /theme/{board}.logo, its logo file from data_dir. Neither holds
// anything secret; an unknown board gets an empty sheet and a 404 logo alike for
// every name, so the route tells nobody which boards exist.
func (s *Server) handleThemeCSS(w http.ResponseWriter, r *http.Request) {
	file := chi.URLParam(r, "file")
	if id, ok := strings.CutSuffix(file, ".logo"); ok {
		b, _ := s.boardSet().board(id)
		s.serveLogo(w, b)
		return
	}
	id, ok := strings.CutSuffix(file, ".css")
	var css []byte
	if b, known := s.boardSet().board(id); ok && known {
		css = views.ThemeCSS(b)
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(css)
}

// serveLogo writes board b's logo file, read now (a replaced file shows at the next
// page load), or 404.
func (s *Server) serveLogo(w http.ResponseWriter, b views.Board) {
	typ := views.LogoTypes[strings.ToLower(filepath.Ext(b.LogoFile))]
	f, err := os.Open(b.LogoFile)
	if b.LogoFile == "" || typ == "" || err != nil {
		http.NotFound(w, nil)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxLogoBytes+1))
	if err != nil || len(data) > maxLogoBytes {
		s.log.Warn("board logo not served", "board", b.ID, "err", err, "bytes", len(data))
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", typ)
	// An SVG opened on its own must not run script on this origin.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(data)
}
