package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// ScreensOptions tune what the server does for wall displays beyond serving boards.
type ScreensOptions struct {
	// Playlists are the config file's playlists (read-only on /admin/screens).
	Playlists []screens.Playlist
	// Store keeps the playlists made on /admin/screens. Nil means only the config's.
	Store screens.Store
	// StaleAfter is how long a write or ping to a screen may be in progress before
	// the screens page calls it stale (a peer that stopped reading). Zero means 3s,
	// under the hub's 5s write timeout that then cuts it off.
	StaleAfter time.Duration
	// OfflineAfter is how long a device may go unseen before /admin/screens flags it.
	// Zero means 10m.
	OfflineAfter time.Duration
	// Tick is how often playlists are checked for a board switch. Zero means 1s.
	Tick time.Duration
	// Pairing bounds the pending pairing codes. Zero means screens' defaults.
	Pairing screens.PairingOptions
	// Notify tells the other replicas that a screen was rebound, so the one holding
	// its socket switches it (they call ReloadScreens). Nil on a single replica.
	Notify func(ctx context.Context) error
}

// screenState is the server's view of its wall displays: the playlists (config and
// stored, merged) and the binding of every device seen since start.
type screenState struct {
	opts     ScreensOptions
	pairings *screens.Pairings

	mu       sync.Mutex
	config   []screens.Playlist      // the config file's: opts.Playlists, then SetPlaylists
	stored   []screens.Playlist      // from opts.Store, reloaded on every change
	bindings map[string]auth.Binding // device id → what it shows, from its last resolve
	seq      uint64                  // control message sequence
}

func newScreenState(o ScreensOptions, now func() time.Time) *screenState {
	if o.StaleAfter <= 0 {
		o.StaleAfter = 3 * time.Second
	}
	if o.OfflineAfter <= 0 {
		o.OfflineAfter = 10 * time.Minute
	}
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	if o.Pairing.Now == nil {
		o.Pairing.Now = now
	}
	return &screenState{opts: o, config: o.Playlists, pairings: screens.NewPairings(o.Pairing), bindings: map[string]auth.Binding{}}
}

// SetPlaylists replaces the config file's playlists (a reloaded config); screens on
// them take their new turns within a tick. The caller validates them against the
// boards it serves (as start-up does).
func (s *Server) SetPlaylists(ps []screens.Playlist) {
	s.screens.mu.Lock()
	s.screens.config = ps
	s.screens.mu.Unlock()
}

// isConfigPlaylist reports whether id names a playlist of the config file.
func (st *screenState) isConfigPlaylist(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.ContainsFunc(st.config, func(c screens.Playlist) bool { return c.ID == id })
}

// playlist returns the playlist id: the config's first, then the stored ones.
func (st *screenState) playlist(id string) (screens.Playlist, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, p := range st.config {
		if p.ID == id {
			return p, true
		}
	}
	for _, p := range st.stored {
		if p.ID == id {
			return p, true
		}
	}
	return screens.Playlist{}, false
}

// playlists lists the config's playlists, then the stored ones not shadowed by them.
func (st *screenState) playlists() (cfg, stored []screens.Playlist) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, p := range st.stored {
		if !slices.ContainsFunc(st.config, func(c screens.Playlist) bool { return c.ID == p.ID }) {
			stored = append(stored, p)
		}
	}
	return st.config, stored
}

// reload reads the stored playlists again.
func (st *screenState) reload(ctx context.Context) error {
	if st.opts.Store == nil {
		return nil
	}
	ps, err := st.opts.Store.List(ctx)
	if err != nil {
		return fmt.Errorf("server: playlists: %w", err)
	}
	st.mu.Lock()
	st.stored = ps
	st.mu.Unlock()
	return nil
}

// remember records what device id shows, as its last resolve (or a rebind) saw it:
// the rotation loop reads it for every socket each tick without a store read. It
// holds one entry per device that connected, and devices are made by admins only.
func (st *screenState) remember(id string, b auth.Binding) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.bindings[id] = b
}

func (st *screenState) binding(id string) (auth.Binding, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b, ok := st.bindings[id]
	return b, ok
}

// anyOnPlaylist reports whether a device seen since start is bound to a playlist.
// It walks the bindings (one per device, made by admins) without allocating.
func (st *screenState) anyOnPlaylist() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, b := range st.bindings {
		if b.Playlist != "" {
			return true
		}
	}
	return false
}

func (st *screenState) forget(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.bindings, id)
}

func (st *screenState) nextSeq() uint64 {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.seq++
	return st.seq
}

// errNoPlaylist: a device's playlist was deleted (or left the config).
var errNoPlaylist = refuse(errNotFound, "This screen's playlist no longer exists: bind it again on /admin/screens.")

// boardFor is the board binding b shows now: its board, or its playlist's board of
// the moment (rotation by the clock, pinned to a board in alert).
func (s *Server) boardFor(b auth.Binding) (string, error) {
	if b.Playlist == "" {
		return b.Board, nil
	}
	p, ok := s.screens.playlist(b.Playlist)
	if !ok {
		return "", errNoPlaylist
	}
	return p.At(s.now(), s.inAlert), nil
}

// inAlert reports whether board shows an alert now (for pin_on_alert).
func (s *Server) inAlert(board string) bool {
	return s.opts.Alerts != nil && len(s.opts.Alerts.Alerts(board, snapshot.Scope{})) > 0
}

// deviceTarget points a device's wall request at what the device shows now: a
// device link always shows its binding, whatever board its URL names (the URL of a
// screen that switched boards in place names the board it started on).
func (s *Server) deviceTarget(p *auth.Principal, t *target) error {
	id := auth.DeviceID(p.Key)
	b := auth.Binding{Board: p.Board, Playlist: p.Playlist}
	s.screens.remember(id, b)
	board, err := s.boardFor(b)
	if err != nil {
		return err
	}
	p.Board = board
	switch {
	case t.aud != views.Wall || t.board == board:
	case t.socket:
		t.board = board
	default:
		return &moved{board: board}
	}
	return nil
}

// moved sends a device's wall page to the board the device shows now.
type moved struct{ board string }

func (m *moved) Error() string { return "this screen shows board " + m.board }

// runScreens switches playlist screens to the board of the moment until ctx ends.
func (s *Server) runScreens(ctx context.Context) {
	if err := s.screens.reload(ctx); err != nil {
		s.log.Warn("playlists not loaded", "err", err)
	}
	tick := time.NewTicker(s.screens.opts.Tick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			// Only a playlist's board changes with the clock; a rebind or a reload
			// moves its own sockets at once. Without a screen on a playlist the pass
			// would list every wall socket each second for nothing (the bulk of an
			// idle server's CPU per socket).
			if s.screens.anyOnPlaylist() {
				s.retarget(ctx, "")
			}
		}
	}
}

// retarget moves every socket of device id (every device's, for "") whose board is
// not the one its binding shows now onto that board, on the socket it has.
func (s *Server) retarget(ctx context.Context, id string) {
	prefix := "device:"
	if id != "" {
		prefix = auth.DeviceKey(id)
	}
	// One answer per binding per pass: a playlist's board (and its alert look-ups)
	// is worked out once however many screens show it.
	boards := map[auth.Binding]string{}
	for _, sock := range s.hub.Sockets(prefix) {
		if id != "" && sock.Key != prefix {
			continue // another device whose id starts with this one's
		}
		b, ok := s.screens.binding(auth.DeviceID(sock.Key))
		if !ok {
			continue
		}
		want, seen := boards[b]
		if !seen {
			var err error
			if want, err = s.boardFor(b); err != nil {
				continue
			}
			boards[b] = want
		}
		if err := s.moveSocket(ctx, sock, want); err != nil {
			s.log.Warn("screen not switched", "device", auth.DeviceID(sock.Key), "board", want, "err", err)
		}
	}
}

// moveSocket puts one wall socket on board, keeping the rest of its variant (size).
// The page hears it on its socket and swaps its body in place (app.js), without a
// reload or a reconnect.
func (s *Server) moveSocket(ctx context.Context, sock hub.SocketInfo, board string) error {
	v, ok := s.live.variantOf(sock.Topic)
	if !ok || v.Board.ID == board || v.Audience != views.Wall {
		return nil
	}
	set := s.boardSet()
	b, ok := set.board(board)
	if !ok {
		// A playlist naming a board a reload removed: the screen stays where it
		// is rather than logging every second.
		return nil
	}
	v.Board = b
	topic, err := s.live.ensure(ctx, v, set.gen)
	if err != nil {
		return err
	}
	// The switch control leads the message: the page drops the new board's tiles
	// rather than swap them into the old layout, and fetches its new page at once.
	// A socket gone or moved meanwhile (a rebind racing the rotation) is not news.
	prefix := views.Control(views.ControlSwitch, "", s.screens.nextSeq())
	if err := s.hub.Move(sock.ID, sock.Topic, topic, prefix); err != nil && !errors.Is(err, hub.ErrClosed) && !errors.Is(err, hub.ErrNoSocket) {
		return err
	}
	return nil
}

// truncate cuts s to at most n bytes.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
