package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/coder/websocket"
	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"

	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// pageRequest is what a board page or its WebSocket asks for, parsed and validated.
type pageRequest struct {
	variant views.Variant
	tile    string // embed of one tile
}

// parsePage validates the query of a page or (socket true) /ws request for board b.
// It writes the error page itself and returns false when the request is bad.
func (s *Server) parsePage(w http.ResponseWriter, r *http.Request, b views.Board, aud views.Audience, scope snapshot.Scope, tile string, socket bool) (pageRequest, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "The address has a malformed query string.")
		return pageRequest{}, false
	}
	skill, sort, err := views.ParseVariantQuery(q)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, err.Error())
		return pageRequest{}, false
	}
	if tile != "" {
		var res tileResult
		switch b, res = s.tileBoard(b, tile); {
		case res == tileNotShown, res == tileUnresolved && !socket && s.opts.Store.Load() != nil:
			s.renderError(w, r, http.StatusNotFound, "That tile is not on this board.")
			return pageRequest{}, false
		case res == tileUnresolved:
			// No data yet (just started) or the skill left the snapshot after the page
			// loaded: nothing is cached under the tile's key, and the page retries.
			w.Header().Set("Retry-After", "5")
			s.renderError(w, r, http.StatusServiceUnavailable, "This tile has no data yet; it will appear shortly.")
			return pageRequest{}, false
		}
	}
	return pageRequest{variant: views.Variant{Board: b, Audience: aud, Scope: scope, Skill: skill, Sort: sort}, tile: tile}, true
}

// tileResult says whether tileBoard could narrow a board to a tile.
type tileResult int

const (
	tileOK         tileResult = iota
	tileNotShown              // the board does not show that tile: 404
	tileUnresolved            // a skill tile id the current snapshot has no skill for
)

// tileBoard narrows b to the one tile an embed shows, under a board id no config can
// use ("~" is not allowed in ids), so a tile embed's WebSocket topic carries that
// tile only and a tile embed token never receives the rest of the board. It reports
// tileNotShown for a tile the board does not show: a kind missing from its tiles list
// (empty = all), or a skill tile on a board without the skills tile. Otherwise a
// public board configured to show the queue only would serve agent names to anyone.
func (s *Server) tileBoard(b views.Board, tile string) (views.Board, tileResult) {
	nb := b
	nb.ID = b.ID + "~" + tile
	if k := views.TileKind(tile); slices.Contains(views.AllTiles, k) {
		nb.Tiles = []views.TileKind{k}
		if !b.Shows(k) {
			return views.Board{}, tileNotShown
		}
		return nb, tileOK
	}
	if !b.Shows(views.TileSkills) {
		return views.Board{}, tileNotShown
	}
	nb.Tiles = []views.TileKind{views.TileSkills}
	// A skill tile id: find its skill so only that skill is rendered. The variant's
	// key is the tile id, not the skill, so an unresolved id must not reach
	// live.ensure: a placeholder cached under that key would never be replaced.
	if snap := s.opts.Store.Load(); snap != nil {
		for _, sk := range snap.Skills {
			if views.SkillTileID(sk.Key) == tile && b.Wants(sk) {
				nb.Skills = []string{sk.Key}
				return nb, tileOK
			}
		}
	}
	return views.Board{}, tileUnresolved
}

// handlePage serves /wall/{board}, /boards/{board} and /embed/{board}[/tiles/{tile}].
func (s *Server) handlePage(aud views.Audience) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.auth.resolver.Resolve(r)
		if err != nil {
			s.denyCredential(w, r, err)
			return
		}
		id, tile := chi.URLParam(r, "board"), chi.URLParam(r, "tile")
		b, ok := s.boards[id]
		if !ok {
			s.renderError(w, r, http.StatusNotFound, "There is no board called “"+id+"”.")
			return
		}
		if a := authorize(p, b, aud, tile); a != accessOK {
			s.deny(w, r, a, aud)
			return
		}
		pr, ok := s.parsePage(w, r, b, aud, scopeFor(p, b), tile, false)
		if !ok {
			return
		}
		if _, err := s.live.ensure(r.Context(), pr.variant); err != nil {
			s.renderViewError(w, r, err)
			return
		}
		ws := url.Values{"board": {b.ID}, "view": {string(aud)}}
		if pr.variant.Skill != "" {
			ws.Set("skill", pr.variant.Skill)
		}
		if pr.variant.Sort != "" {
			ws.Set("sort", pr.variant.Sort)
		}
		if tile != "" {
			ws.Set("tile", tile)
		}
		// Devices and embeds have no cookie: their socket carries the credential the
		// page was opened with, the same way (users' sockets use the session cookie).
		switch p.Kind {
		case auth.KindDevice:
			ws.Set(auth.DeviceParam, r.URL.Query().Get(auth.DeviceParam))
		case auth.KindEmbed:
			ws.Set(auth.EmbedParam, r.URL.Query().Get(auth.EmbedParam))
		}
		opts := views.PageOpts{WSURL: "/ws?" + ws.Encode(), ServerNow: s.now(), Tile: pr.tile}
		if p.IsUser() {
			opts.User = p.Name
		}
		var buf bytes.Buffer
		if err := views.RenderPage(r.Context(), &buf, pr.variant, s.opts.Store.Load(), opts); err != nil {
			s.renderViewError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

// handleWS is the live channel of one page: /ws?board=&view=&skill=&sort=&tile=, plus
// device= or token= for displays and embeds. It authorizes exactly like the page,
// accepts only this server's origin and the configured embed origins, and re-checks
// the credential on every ping so a revoked device or an ended session is closed.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	p, err := s.auth.resolver.Resolve(r)
	if err != nil {
		code := http.StatusUnauthorized
		if errors.Is(err, auth.ErrRevoked) {
			code = http.StatusForbidden
		}
		http.Error(w, "credential not valid", code)
		return
	}
	q := r.URL.Query()
	aud := views.Audience(q.Get("view"))
	switch aud {
	case views.Wall, views.Manager, views.Embed:
	default:
		http.Error(w, "view must be wall, manager or embed", http.StatusBadRequest)
		return
	}
	id, tile := q.Get("board"), q.Get("tile")
	b, ok := s.boards[id]
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "There is no board called “"+id+"”.")
		return
	}
	if tile != "" && aud != views.Embed {
		http.Error(w, "tile is for embeds only", http.StatusBadRequest)
		return
	}
	switch authorize(p, b, aud, tile) {
	case accessOK:
	case accessLogin:
		http.Error(w, "sign in or use a device or embed link", http.StatusUnauthorized)
		return
	default:
		http.Error(w, "not allowed", http.StatusForbidden)
		return
	}
	for _, k := range []string{"board", "view", "tile", auth.DeviceParam, auth.EmbedParam} {
		q.Del(k)
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	pr, ok := s.parsePage(w, r2, b, aud, scopeFor(p, b), tile, true)
	if !ok {
		return
	}
	topic, err := s.live.ensure(r.Context(), pr.variant)
	if err != nil {
		s.renderViewError(w, r, err)
		return
	}
	err = s.hub.Serve(w, r, hub.ServeOptions{
		Topic:  topic,
		Key:    p.Key,
		Hello:  clockHello(s.now),
		Accept: &websocket.AcceptOptions{OriginPatterns: s.wsOrigins(aud)},
		Check:  func() bool { return s.stillValid(r, p) },
	})
	if err != nil && !errors.Is(err, hub.ErrClosed) {
		s.log.Debug("websocket not opened", "err", err)
	}
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

// stillValid re-resolves a socket's credential: a revoked device, an expired embed
// link or an ended session no longer gives the same principal. It also records the
// device's last-seen time (Resolve touches devices).
func (s *Server) stillValid(r *http.Request, p auth.Principal) bool {
	p2, err := s.auth.resolver.Resolve(r)
	return err == nil && p2.Key == p.Key
}

// renderViewError maps views errors to statuses; internal text never reaches users.
func (s *Server) renderViewError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, views.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "That skill or tile is not on this board.")
	case errors.Is(err, views.ErrBadQuery):
		s.renderError(w, r, http.StatusBadRequest, err.Error())
	default:
		s.log.Error("render page", "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Something went wrong rendering this board.")
	}
}

// renderError writes an HTML error page with a reason the user can act on.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	var buf bytes.Buffer
	if err := views.RenderError(r.Context(), &buf, code, msg); err != nil {
		http.Error(w, msg, code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
