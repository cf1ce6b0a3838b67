package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/views"
)

// pairCookie holds a paired TV's device secret for /pair alone: a kiosk that always
// starts at /pair (after every reboot) goes straight to its board instead of asking
// to be paired again. The secret is checked as a device link's is, so revoking the
// device refuses it and /pair shows a fresh code.
const pairCookie = "ccdash_paired"

// pairCookieAge is how long a browser keeps it: the longest browsers allow (400 days).
const pairCookieAge = 400 * 24 * 60 * 60

// handlePair is /pair: an anonymous TV gets a pairing code to show. Each visit holds
// one code for 5 minutes in a bounded table (screens.Pairings: per address and in
// all), so anonymous visits cannot grow server state.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	if link, ok := s.pairedLink(w, r); ok {
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
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
	if u, err := url.Parse(link); err == nil && u.Query().Get(auth.DeviceParam) != "" {
		s.setPairCookie(w, r, u.Query().Get(auth.DeviceParam), pairCookieAge)
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "paired", "url": link})
}

// pairedLink is the wall link of the device this browser was paired as (its
// pairCookie), if that device still holds. A revoked or unknown device's cookie is
// deleted, so the page shows a new code; a store failure only shows one.
func (s *Server) pairedLink(w http.ResponseWriter, r *http.Request) (string, bool) {
	c, err := r.Cookie(pairCookie)
	devices := s.auth.opts.Devices
	if err != nil || c.Value == "" || devices == nil {
		return "", false
	}
	d, err := devices.Verify(r.Context(), c.Value)
	if errors.Is(err, auth.ErrRevoked) || errors.Is(err, auth.ErrUnknownToken) {
		s.setPairCookie(w, r, "", -1)
		return "", false
	}
	if err != nil {
		s.log.Warn("pair: verify the paired device", "err", err)
		return "", false
	}
	board, err := s.boardFor(auth.Binding{Board: d.Board, Playlist: d.Playlist})
	if err != nil {
		return "", false
	}
	u := url.URL{Path: "/wall/" + board, RawQuery: url.Values{auth.DeviceParam: {c.Value}}.Encode()}
	return u.String(), true
}

// setPairCookie sets (maxAge > 0) or deletes (maxAge < 0) the pairCookie.
func (s *Server) setPairCookie(w http.ResponseWriter, r *http.Request, secret string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: pairCookie, Value: secret, Path: "/pair", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.auth.secureRequest(r),
	})
}
