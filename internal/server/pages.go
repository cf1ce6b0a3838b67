package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/views"
)

// handlePage serves /wall/{board}, /boards/{board} and /embed/{board}[/tiles/{tile}].
func (s *Server) handlePage(aud views.Audience) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := pageTarget(r, aud)
		if err != nil {
			s.failHTML(w, r, err)
			return
		}
		br, err := s.resolve(r.Context(), r, t)
		var mv *moved
		if errors.As(err, &mv) {
			u := url.URL{Path: "/wall/" + mv.board, RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		}
		if err != nil {
			s.failHTML(w, r, err)
			return
		}
		opts := views.PageOpts{WSURL: socketURL(br, r), ServerNow: s.now(), Tile: br.tile, Theme: t.theme}
		if br.p.IsUser() {
			opts.User, opts.Admin = br.p.Name, br.p.IsAdmin()
		}
		manager := br.variant.Audience == views.Manager && br.p.IsUser()
		if st, ok := alertState(s.opts.Alerts, br.variant); ok {
			opts.Alerts = &st
		}
		if n, ok := noticesOf(s.opts.Announce, br.variant); ok {
			opts.Notices = &n
		}
		if manager && (opts.Alerts != nil || opts.Notices != nil) {
			opts.CSRF = auth.CSRFToken(r.Context())
		}
		if manager && opts.Notices != nil && mayAnnounce(br.p) {
			opts.NoticeForm = s.noticeForm(br.p, br.b.ID, opts.CSRF)
		}
		snap := s.opts.Store.Load()
		opts.Trends = s.live.trends.live(snap)
		opts.Conversations, _ = conversationsState(s.opts.Conversations, br.variant, snap)
		dayEnd := s.now()
		if t.query.Has("at") {
			if aud != views.Manager {
				s.failHTML(w, r, refuse(errBadRequest, "Walls and embeds always show the board live; ?at= (the board as it was) is for the manager board."))
				return
			}
			if snap, opts.TimeTravel, err = s.timeTravel(r, t.query); err != nil {
				s.failHTML(w, r, err)
				return
			}
			// A page of the past: static, clocks still at its moment, no live banners.
			opts.WSURL, opts.ServerNow, opts.Alerts, opts.CSRF = "", snap.TakenAt, nil, ""
			opts.Notices, opts.NoticeForm, opts.Conversations = nil, nil, nil
			opts.Trends = s.live.trends.at(r.Context(), snap.TakenAt)
			dayEnd = snap.TakenAt.Truncate(time.Minute) // closed minutes only: nothing after the moment
		}
		if aud == views.Manager && br.variant.Skill != "" {
			opts.Day = s.live.trends.day(r.Context(), br.variant.Skill, dayEnd)
		}
		var buf bytes.Buffer
		if err := views.RenderPage(r.Context(), &buf, br.variant, snap, opts); err != nil {
			s.failHTML(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

// socketURL is the live channel of page br: the same target, as /ws query parameters.
// Devices and embeds have no cookie: their socket carries the credential the page
// was opened with, the same way (users' sockets use the session cookie).
func socketURL(br boardRequest, r *http.Request) string {
	ws := url.Values{"board": {br.b.ID}, "view": {string(br.variant.Audience)}}
	if br.variant.Skill != "" {
		ws.Set("skill", br.variant.Skill)
	}
	if br.variant.Sort != "" {
		ws.Set("sort", br.variant.Sort)
	}
	if br.variant.Size != "" && br.variant.Audience == views.Wall {
		ws.Set("size", string(br.variant.Size))
	}
	if br.tile != "" {
		ws.Set("tile", br.tile)
	}
	switch br.p.Kind {
	case auth.KindDevice:
		ws.Set(auth.DeviceParam, r.URL.Query().Get(auth.DeviceParam))
	case auth.KindEmbed:
		ws.Set(auth.EmbedParam, r.URL.Query().Get(auth.EmbedParam))
	}
	return "/ws?" + ws.Encode()
}

// handleWS is the live channel of one page: /ws?board=&view=&skill=&sort=&tile=, plus
// device= or token= for displays and embeds. It resolves exactly like the page,
// accepts only this server's origin and the configured embed origins, and re-checks
// the credential now and then (hub.Options.CheckInterval) as a safety net behind the
// kicks that revoking and signing out send at once.
// Its refusals are JSON: a socket client is a script, never a person.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	t, err := socketTarget(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	br, err := s.resolve(r.Context(), r, t)
	if err != nil {
		if code, reason, ok := socketCloseFor(err); ok && isUpgrade(r) {
			s.refuseSocket(w, r, t.aud, code, reason)
			return
		}
		s.failJSON(w, r, err)
		return
	}
	release := func() {}
	if br.p.Kind == auth.KindPublic {
		// Anonymous sockets on public boards are capped per board and per address:
		// nothing anonymous grows server state without bound. The socket outlives
		// this handler; the hub gives the slot back when it ends.
		if release, err = s.sockets.take(br.b.ID, s.auth.clientIP(r)); err != nil {
			s.failJSON(w, r, err)
			return
		}
	}
	// The server's read and write deadlines are for one request; a socket lives for
	// weeks, with its own ping and write timeouts in the hub.
	rc := http.NewResponseController(w)
	if err := errors.Join(rc.SetReadDeadline(time.Time{}), rc.SetWriteDeadline(time.Time{})); err != nil {
		s.log.Warn("websocket: clearing deadlines", "err", err)
	}
	// A drill-down's socket is a viewer of its conversations list while it is open.
	unwatch := s.watchConversations(br)
	err = s.hub.Serve(w, r, hub.ServeOptions{
		Topic:  br.topic,
		Key:    br.p.Key,
		Hello:  clockHello(s.now),
		Accept: &websocket.AcceptOptions{OriginPatterns: s.wsOrigins(t.aud)},
		Check:  s.stillValidFunc(r, br.p),
		Closed: func() { unwatch(); release() },
		// For /admin/screens: the address as the login throttle counts it, and
		// the browser (summarised there; cut here so a socket holds little).
		Addr:      s.auth.clientIP(r),
		UserAgent: truncate(r.UserAgent(), 512),
	})
	if err != nil && !errors.Is(err, hub.ErrClosed) {
		s.log.Debug("websocket not opened", "err", err)
	}
}

// socketCloseFor is the close code a socket refused for err gets, so the page's
// script learns why — a refused handshake is only 1006 to it, which it would retry
// forever. A missing or ended session is 4001 (the page goes to sign in and comes
// back); a revoked device or embed link is 4003 (the page reloads and says why).
func socketCloseFor(err error) (websocket.StatusCode, string, bool) {
	switch {
	case errors.Is(err, errSignIn):
		return hub.StatusUnauthorized, "sign in", true
	case errors.Is(err, auth.ErrRevoked):
		return hub.StatusKicked, "this screen was unlinked", true
	case errors.Is(err, auth.ErrEmbedRevoked):
		return hub.StatusKicked, "this embed link was revoked", true
	}
	return 0, "", false
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// refuseSocket accepts the socket (from an allowed Origin only) just to close it with
// code; nothing is subscribed or kept.
func (s *Server) refuseSocket(w http.ResponseWriter, r *http.Request, aud views.Audience, code websocket.StatusCode, reason string) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: s.wsOrigins(aud)})
	if err != nil {
		s.log.Debug("websocket not opened", "err", err)
		return
	}
	_ = c.Close(code, reason)
}

// wsOrigins is the Origin allow-list of a socket for aud. The embed origins may open
// embed sockets only: a site allowed to frame embeds must not open a wall or manager
// socket, which the browser would send with the user's (SameSite=Lax) session cookie.
func (s *Server) wsOrigins(aud views.Audience) []string {
	if aud == views.Embed {
		return s.auth.originPatterns
	}
	_, embed, _ := s.auth.opts.origins() // validated by New; embed patterns = ancestors
	return slices.DeleteFunc(slices.Clone(s.auth.originPatterns), func(p string) bool {
		return slices.Contains(embed, p)
	})
}

// stillValidFunc returns the socket's credential re-check: a revoked device, an
// expired embed link, an ended session or a user whose role or skills changed no
// longer gives the same principal. It
// also records the device's last-seen time (Resolve touches devices). It keeps of
// the upgrade request only what Resolve reads — the query, the cookies and the
// peer address — so the request itself is freed while the socket lives on.
func (s *Server) stillValidFunc(r *http.Request, p auth.Principal) func() bool {
	cred := &http.Request{
		Method:     http.MethodGet,
		URL:        &url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery},
		Header:     http.Header{},
		RemoteAddr: r.RemoteAddr,
		Host:       r.Host,
	}
	if v := r.Header.Values("Cookie"); len(v) > 0 {
		cred.Header["Cookie"] = slices.Clone(v)
	}
	return func() bool {
		p2, err := s.auth.resolver.Resolve(cred.WithContext(context.Background()))
		// Same credential, same rights: a user whose role or skills changed (a
		// reloaded config) must reopen the page with their new scope.
		return err == nil && p2.Key == p.Key && p2.Role == p.Role && p2.Scope.Key() == p.Scope.Key()
	}
}
