package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// target is what a board page or its socket names: the board, the view, the tile of
// a tile embed, and the variant query (skill, sort).
type target struct {
	board, tile string
	aud         views.Audience
	query       url.Values
	socket      bool
	theme       string // an embed page's ?theme= (dark, light, transparent)
}

// boardRequest is a board page or socket request that passed resolve.
type boardRequest struct {
	p       auth.Principal
	b       views.Board
	variant views.Variant
	tile    string
	topic   string // the live topic, current in the hub
}

// pageTarget reads a page's target from its path (/wall/{board}, /boards/{board},
// /embed/{board}[/tiles/{tile}]) and query.
func pageTarget(r *http.Request, aud views.Audience) (target, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return target{}, refuse(errBadRequest, "The address has a malformed query string.")
	}
	theme, err := views.ParseTheme(q)
	if err != nil || aud != views.Embed && theme != "" {
		return target{}, refuse(errBadRequest, "The theme must be dark, light or transparent, on embeds only.")
	}
	return target{board: chi.URLParam(r, "board"), tile: chi.URLParam(r, "tile"), aud: aud, query: q, theme: theme}, nil
}

// socketTarget reads a socket's target from /ws?board=&view=&tile=&skill=&sort=
// (plus the device= or token= credential, which the resolver reads).
func socketTarget(r *http.Request) (target, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return target{}, refuse(errBadRequest, "malformed query string")
	}
	t := target{board: q.Get("board"), tile: q.Get("tile"), aud: views.Audience(q.Get("view")), socket: true}
	switch t.aud {
	case views.Wall, views.Manager, views.Embed:
	default:
		return target{}, refuse(errBadRequest, "view must be wall, manager or embed")
	}
	if t.tile != "" && t.aud != views.Embed {
		return target{}, refuse(errBadRequest, "tile is for embeds only")
	}
	for _, k := range []string{"board", "view", "tile", auth.DeviceParam, auth.EmbedParam} {
		q.Del(k)
	}
	t.query = q
	return t, nil
}

// resolve is the one path of board pages and sockets: who asks (credential), which
// board, may they (authorize), what exactly (parse the variant), and make it current
// in the live loop (ensure). Its errors are for failHTML or failJSON.
func (s *Server) resolve(ctx context.Context, r *http.Request, t target) (boardRequest, error) {
	p, err := s.auth.resolver.Resolve(r)
	if err != nil {
		return boardRequest{}, err
	}
	if p.Kind == auth.KindDevice {
		if err := s.deviceTarget(&p, &t); err != nil {
			return boardRequest{}, err
		}
	}
	set := s.boardSet()
	b, ok := set.board(t.board)
	if !ok {
		return boardRequest{}, refuse(errNotFound, "There is no board called “"+t.board+"”.")
	}
	switch authorize(p, b, t.aud, t.tile) {
	case accessOK:
	case accessLogin:
		if t.aud == views.Embed {
			return boardRequest{}, refuse(errSignIn, "This embed needs a signed embed link.")
		}
		return boardRequest{}, refuse(errSignIn, "Sign in, or use a device link.")
	default:
		return boardRequest{}, refuse(errForbidden, "This link does not give access to this board.")
	}
	br := boardRequest{p: p, b: b, tile: t.tile}
	if br.variant, err = s.parseVariant(b, t, scopeFor(p, b)); err != nil {
		return boardRequest{}, err
	}
	if br.topic, err = s.live.ensure(ctx, br.variant, set.gen); err != nil {
		return boardRequest{}, err
	}
	return br, nil
}

// parseVariant validates the variant query of t on board b. A drill-down is only
// for boards that show skill tiles: a board configured to show the queue alone must
// not hand out per-skill figures (and agents) through ?skill=.
func (s *Server) parseVariant(b views.Board, t target, scope snapshot.Scope) (views.Variant, error) {
	skill, sort, err := views.ParseVariantQuery(t.query)
	if err != nil {
		return views.Variant{}, err
	}
	size, err := views.ParseSize(t.query)
	if err != nil {
		return views.Variant{}, err
	}
	if skill != "" && !b.Shows(views.TileSkills) {
		return views.Variant{}, refuse(views.ErrNotFound, "That skill is not on this board.")
	}
	if t.tile != "" {
		var res tileResult
		switch b, res = s.tileBoard(b, t.tile); {
		case res == tileNotShown, res == tileUnresolved && !t.socket && s.opts.Store.Load() != nil:
			return views.Variant{}, refuse(errNotFound, "That tile is not on this board.")
		case res == tileUnresolved:
			// No data yet (just started) or the skill left the snapshot after the page
			// loaded: nothing is cached under the tile's key, and the page retries.
			return views.Variant{}, refuse(errNoDataYet, "This tile has no data yet; it will appear shortly.")
		}
	}
	return views.Variant{Board: b, Audience: t.aud, Scope: scope, Skill: skill, Sort: sort, Size: size}, nil
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
