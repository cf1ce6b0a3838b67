package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/views"
)

// handlePair is /pair: an anonymous TV gets a pairing code to show. Each visit holds
// one code for 5 minutes in a bounded table (screens.Pairings: per address and in
// all), so anonymous visits cannot grow server state.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	code, wait, expires, err := s.screens.pairings.New(s.auth.clientIP(r))
	if errors.Is(err, screens.ErrPairingFull) {
		w.Header().Set("Retry-After", "60")
		s.renderHTML(w, r, http.StatusTooManyRequests, views.PairPage(views.PairPageProps{
			Error: "Too many screens are waiting to pair right now. This page tries again in a minute.",
		}))
		return
	}
	admin := s.baseURL() + "/admin/screens?" + url.Values{"code": {code}}.Encode()
	qr, err := views.QRCodeSVG(admin, "QR code of the screens page with code "+code)
	if err != nil {
		s.failHTML(w, r, failed("Making the pairing code failed.", err))
		return
	}
	s.renderHTML(w, r, http.StatusOK, views.PairPage(views.PairPageProps{
		Code: code, Wait: wait, QR: qr, AdminURL: s.baseURL() + "/admin/screens",
		ExpiresMS: strconv.FormatInt(expires.UnixMilli(), 10),
	}))
}

// handlePairWait is what a waiting /pair page polls: {"status":"waiting"} until an
// admin entered its code, then once {"url": its wall link}; 404 once the code is
// gone (expired, used), and the page asks for a new one.
func (s *Server) handlePairWait(w http.ResponseWriter, r *http.Request) {
	link, done, err := s.screens.pairings.Claim(r.URL.Query().Get("t"))
	if err != nil {
		s.failJSON(w, r, refuse(errNotFound, "This pairing code expired or was used; show a new one."))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if !done {
		writeJSON(w, http.StatusOK, map[string]string{"status": "waiting"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "paired", "url": link})
}
