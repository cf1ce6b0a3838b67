package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// pageRequest is what a board page or its WebSocket asks for, parsed and validated.
type pageRequest struct {
	variant views.Variant
	tile    string // embed of one tile
}

// parsePage resolves the board and query of a page or /ws request. It writes the
// error page itself and returns false when the request is bad.
func (s *Server) parsePage(w http.ResponseWriter, r *http.Request, boardID string, aud views.Audience, scope snapshot.Scope) (pageRequest, bool) {
	b, ok := s.boards[boardID]
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "There is no board called “"+boardID+"”.")
		return pageRequest{}, false
	}
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
	return pageRequest{variant: views.Variant{Board: b, Audience: aud, Scope: scope, Skill: skill, Sort: sort}}, true
}

// handlePage serves /wall/{board}, /boards/{board} and /embed/{board}[/tiles/{tile}].
func (s *Server) handlePage(aud views.Audience) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pr, ok := s.parsePage(w, r, chi.URLParam(r, "board"), aud, snapshot.Scope{})
		if !ok {
			return
		}
		pr.tile = chi.URLParam(r, "tile")
		if _, err := s.live.ensure(r.Context(), pr.variant); err != nil {
			s.renderViewError(w, r, err)
			return
		}
		ws := url.Values{"board": {pr.variant.Board.ID}, "view": {string(aud)}}
		if pr.variant.Skill != "" {
			ws.Set("skill", pr.variant.Skill)
		}
		if pr.variant.Sort != "" {
			ws.Set("sort", pr.variant.Sort)
		}
		var buf bytes.Buffer
		err := views.RenderPage(r.Context(), &buf, pr.variant, s.opts.Store.Load(), views.PageOpts{
			WSURL: "/ws?" + ws.Encode(), ServerNow: s.now(), Tile: pr.tile,
		})
		if err != nil {
			s.renderViewError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	}
}

// handleWS is the live channel of one page: /ws?board=&view=&skill=&sort=.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	aud := views.Audience(r.URL.Query().Get("view"))
	switch aud {
	case views.Wall, views.Manager, views.Embed:
	default:
		http.Error(w, "view must be wall, manager or embed", http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	q.Del("board")
	q.Del("view")
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	pr, ok := s.parsePage(w, r2, r.URL.Query().Get("board"), aud, snapshot.Scope{})
	if !ok {
		return
	}
	topic, err := s.live.ensure(r.Context(), pr.variant)
	if err != nil {
		s.renderViewError(w, r, err)
		return
	}
	err = s.hub.Serve(w, r, hub.ServeOptions{Topic: topic, Hello: clockHello(s.now)})
	if err != nil && !errors.Is(err, hub.ErrClosed) {
		s.log.Debug("websocket not opened", "err", err)
	}
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
