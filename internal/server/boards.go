package server

import (
	"strings"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/views"
)

// boardSet is one immutable generation of the served boards. Handlers take the
// current set once per request (Server.boardSet) and read only that, so a request
// never sees half of an old set and half of a new one.
type boardSet struct {
	byID  map[string]views.Board
	order []string
	// gen increases with every SetBoards; the live loop re-renders a variant whose
	// board came from an older generation.
	gen uint64
}

func newBoardSet(boards []views.Board, gen uint64) *boardSet {
	set := &boardSet{byID: make(map[string]views.Board, len(boards)), gen: gen}
	for _, b := range boards {
		set.byID[b.ID] = b
		set.order = append(set.order, b.ID)
	}
	return set
}

// board returns the board called id.
func (set *boardSet) board(id string) (views.Board, bool) {
	b, ok := set.byID[id]
	return b, ok
}

// boardSet is the current generation of boards.
func (s *Server) boardSet() *boardSet { return s.boards.Load() }

// Boards returns the boards served now, in configured order.
func (s *Server) Boards() []views.Board {
	set := s.boardSet()
	out := make([]views.Board, 0, len(set.order))
	for _, id := range set.order {
		out = append(out, set.byID[id])
	}
	return out
}

// SetBoards replaces the served boards in place; it is how a reloaded config or an
// edited board reaches the screens without a restart. Every board must pass
// views.Board.Validate and ids must be unique (errors are field errors named like
// the config, "boards[1].id"); on any error nothing changes. Empty means
// views.DefaultBoard(), as in New.
//
// Open pages keep their sockets: each variant in use is re-rendered from the new
// board at once and its sockets receive the changed tiles; a page whose layout
// changed (title, tile list, theme, accent, logo) is told to fetch itself again and
// swaps its body in place. Sockets on a board that no longer exists — or on an embed
// tile the board no longer shows — are closed with 4003, so their page reloads and
// says why.
func (s *Server) SetBoards(boards []views.Board) error {
	if len(boards) == 0 {
		boards = []views.Board{views.DefaultBoard()}
	}
	if err := views.ValidateBoards(boards); err != nil {
		return err
	}
	s.boardsMu.Lock()
	set := newBoardSet(boards, s.boardSet().gen+1)
	s.boards.Store(set)
	s.live.reconfigure(set.gen)
	s.boardsMu.Unlock()
	return nil
}

// SetUsers replaces the accounts that may sign in (auth.Users.Replace: on error
// nothing changes) and re-checks every open socket at once: the sockets of a removed
// user, of a changed password, or of a user whose role or skills changed are closed
// with 4001 (their page signs in again or reopens with the new scope); everyone
// else's stay open.
func (s *Server) SetUsers(list []auth.User) error {
	if err := s.auth.users.Replace(list); err != nil {
		return err
	}
	s.hub.Recheck()
	return nil
}

// rebind returns v with its board taken from the current set (narrowed again to
// its tile for a tile embed), and the set's generation. ok is false when the board
// is gone, turned public or private (the variant's scope depends on it), or no longer
// shows the tile or drill-down: the variant's sockets must end.
func (s *Server) rebind(v views.Variant) (views.Variant, uint64, bool) {
	set := s.boardSet()
	id, tile, isTile := strings.Cut(v.Board.ID, "~")
	b, ok := set.board(id)
	if !ok || b.Public != v.Board.Public {
		// Gone, or who may see it changed: the pages must be authorized again.
		return v, set.gen, false
	}
	if isTile {
		nb, res := s.tileBoard(b, tile)
		if res != tileOK {
			return v, set.gen, false
		}
		b = nb
	}
	if v.Skill != "" && !b.Shows(views.TileSkills) {
		return v, set.gen, false
	}
	v.Board = b
	return v, set.gen, true
}

// boardGone is what the sockets of a removed board (or tile) hear before they close.
const boardGone = "this board was removed or changed"

// closeTopic ends every socket of a variant whose board went away.
func closeTopic(h *hub.Hub, topic string) {
	h.EndTopic(topic, hub.StatusKicked, boardGone)
}
