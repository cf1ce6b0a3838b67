package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/views"
)

// BoardEditing is /admin/boards: the boards admins make in the browser.
type BoardEditing struct {
	// Store keeps the edited boards. Nil means boards come from the config only
	// (the page lists them, read-only).
	Store boardstore.Store
	// Audit records every change (who, when, what). Required with Store.
	Audit boardstore.Audit
	// Parse builds a board from its YAML (one entry of the config's boards list)
	// exactly as start-up does, with the config's messages; main supplies it, as
	// the config's parser lives there.
	Parse func(yaml []byte) (views.Board, error)
}

// editState is what composes the served boards: the config file's (read-only) and
// the edited ones from the store. mu orders ApplyBoards and the editor's changes,
// so a reload and an edit cannot interleave and lose one another.
type editState struct {
	mu  sync.Mutex
	cfg []views.Board
	// shadowed are the stored boards left out of the last composition, with why.
	shadowed map[string]string
}

// ApplyBoards makes cfg the config file's boards and serves them followed by the
// edited boards (SetBoards: open screens re-render in place). Start-up and every
// reload call it, and every edit goes through the same composition, so the served
// set is always config boards first, then stored ones.
func (s *Server) ApplyBoards(ctx context.Context, cfg []views.Board) error {
	s.edit.mu.Lock()
	defer s.edit.mu.Unlock()
	stored, err := s.storedBoards(ctx)
	if err != nil {
		return err
	}
	if err := s.serveComposed(cfg, stored); err != nil {
		return err
	}
	s.edit.cfg = cfg
	return nil
}

func (s *Server) storedBoards(ctx context.Context) ([]boardstore.Board, error) {
	if s.opts.Editing.Store == nil {
		return nil, nil
	}
	stored, err := s.opts.Editing.Store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("edited boards: %w", err)
	}
	return stored, nil
}

// serveComposed serves composeBoards(cfg, stored). Called with edit.mu held.
func (s *Server) serveComposed(cfg []views.Board, stored []boardstore.Board) error {
	boards, shadowed := composeBoards(cfg, stored, s.opts.Editing.Parse)
	for id, why := range shadowed {
		s.log.Warn("edited board not served", "board", id, "why", why)
	}
	if err := s.SetBoards(boards); err != nil {
		return err
	}
	s.edit.shadowed = shadowed
	return nil
}

// composeBoards is the served set: the config's boards first, in their order, then
// the stored ones by id. A stored board whose id the config now uses (a reload
// added it) or that no longer parses is left out, and named in shadowed with why;
// the config file always wins.
func composeBoards(cfg []views.Board, stored []boardstore.Board, parse func([]byte) (views.Board, error)) ([]views.Board, map[string]string) {
	out := slices.Clone(cfg)
	shadowed := map[string]string{}
	for _, sb := range stored {
		if slices.ContainsFunc(out, func(b views.Board) bool { return b.ID == sb.ID }) {
			shadowed[sb.ID] = "the config file has a board with this id; it wins"
			continue
		}
		b, err := parse([]byte(sb.YAML))
		if err == nil && b.ID != sb.ID {
			err = fmt.Errorf("its YAML names board %q", b.ID)
		}
		if err != nil {
			shadowed[sb.ID] = strings.ReplaceAll(err.Error(), "\n", "; ")
			continue
		}
		out = append(out, b)
	}
	return out, shadowed
}

// isConfigBoard reports whether id is one of the config file's boards.
func (s *Server) isConfigBoard(id string) bool {
	s.edit.mu.Lock()
	defer s.edit.mu.Unlock()
	return slices.ContainsFunc(s.edit.cfg, func(b views.Board) bool { return b.ID == id })
}

// boardChange is one edit: the YAML is parsed, checked and stored, the served set
// recomposed, and the change written to the audit log.
type boardChange struct {
	action boardstore.Action
	// id is the stored board replaced (edit) or removed (delete); "" for create/copy.
	id   string
	yaml string
	who  string
}

// errBoardInvalid wraps the config's messages for a board the form describes.
type errBoardInvalid struct{ err error }

func (e *errBoardInvalid) Error() string { return e.err.Error() }

// changeBoard applies c. Refusals are refuse errors with a reason for the page;
// an invalid board is *errBoardInvalid holding the config's messages.
func (s *Server) changeBoard(ctx context.Context, c boardChange) (string, error) {
	ed := s.opts.Editing
	if ed.Store == nil {
		return "", refuse(errUnavailable, "Boards cannot be edited on this server (no data store).")
	}
	s.edit.mu.Lock()
	defer s.edit.mu.Unlock()
	stored, err := s.storedBoards(ctx)
	if err != nil {
		return "", failed("Reading the edited boards failed.", err)
	}
	var old *boardstore.Board
	if i := slices.IndexFunc(stored, func(b boardstore.Board) bool { return b.ID == c.id }); i >= 0 {
		old = &stored[i]
	}
	if c.id != "" && slices.ContainsFunc(s.edit.cfg, func(b views.Board) bool { return b.ID == c.id }) {
		return "", refuse(errForbidden, "Board “"+c.id+"” comes from the config file and is read-only here: copy it, or change the file and reload.")
	}
	if c.id != "" && old == nil {
		return "", refuse(errNotFound, "There is no edited board “"+c.id+"”.")
	}
	if c.action == boardstore.ActionDelete {
		return c.id, s.deleteBoard(ctx, c, stored, *old)
	}
	b, err := ed.Parse([]byte(c.yaml))
	if err != nil {
		return "", &errBoardInvalid{err}
	}
	if c.id != "" && c.id != b.ID {
		return "", refuse(errBadRequest, "A board's id cannot change: copy it under the new id, then delete the old one.")
	}
	if err := s.checkNewID(b.ID, c.id, stored); err != nil {
		return "", err
	}
	next := boardstore.Board{ID: b.ID, YAML: c.yaml, UpdatedBy: c.who, UpdatedAt: s.now()}
	nextStored := slices.DeleteFunc(slices.Clone(stored), func(x boardstore.Board) bool { return x.ID == c.id || x.ID == b.ID })
	nextStored = append(nextStored, next)
	if err := ed.Store.Put(ctx, next); err != nil {
		return "", failed("Saving the board failed.", fmt.Errorf("put board %s: %w", b.ID, err))
	}
	prev := ""
	if old != nil {
		prev = old.YAML
	}
	return b.ID, s.afterChange(ctx, c, b.ID, boardstore.Summary(prev, c.yaml), nextStored)
}

// checkNewID refuses an id another board has: ids are unique across the config's
// boards and the stored ones.
func (s *Server) checkNewID(id, editing string, stored []boardstore.Board) error {
	if id == editing {
		return nil
	}
	if slices.ContainsFunc(s.edit.cfg, func(b views.Board) bool { return b.ID == id }) {
		return refuse(errConflict, "The config file already has a board “"+id+"”: choose another id.")
	}
	if slices.ContainsFunc(stored, func(b boardstore.Board) bool { return b.ID == id }) {
		return refuse(errConflict, "There is already an edited board “"+id+"”: choose another id, or edit that one.")
	}
	return nil
}

// deleteBoard removes a stored board no device or playlist shows.
func (s *Server) deleteBoard(ctx context.Context, c boardChange, stored []boardstore.Board, old boardstore.Board) error {
	if users, err := s.boardUsers(ctx, c.id); err != nil {
		return err
	} else if len(users) > 0 {
		return refuse(errConflict, "Board “"+c.id+"” is still shown by "+strings.Join(users, ", ")+": bind them to another board first (on /admin/screens).")
	}
	if err := s.opts.Editing.Store.Delete(ctx, c.id); err != nil && !errors.Is(err, boardstore.ErrUnknownBoard) {
		return failed("Deleting the board failed.", fmt.Errorf("delete board %s: %w", c.id, err))
	}
	rest := slices.DeleteFunc(slices.Clone(stored), func(b boardstore.Board) bool { return b.ID == c.id })
	return s.afterChange(ctx, c, c.id, boardstore.Summary(old.YAML, ""), rest)
}

// boardUsers names the devices and playlists that show board id.
func (s *Server) boardUsers(ctx context.Context, id string) ([]string, error) {
	var out []string
	if s.auth.opts.Devices != nil {
		devs, err := s.auth.opts.Devices.List(ctx)
		if err != nil {
			return nil, failed("Reading the devices failed.", fmt.Errorf("list devices: %w", err))
		}
		for _, d := range devs {
			if d.Board == id && !d.Revoked {
				out = append(out, "device “"+d.Name+"”")
			}
		}
	}
	cfg, stored := s.screens.playlists()
	for _, p := range append(cfg, stored...) {
		if slices.ContainsFunc(p.Entries, func(e screens.Entry) bool { return e.Board == id }) {
			out = append(out, "playlist “"+cmpOr(p.Title, p.ID)+"”")
		}
	}
	return out, nil
}

// afterChange serves the new set and writes the audit entry. The store already
// holds the change, so a failure here is logged and reported, not undone.
func (s *Server) afterChange(ctx context.Context, c boardChange, id, summary string, stored []boardstore.Board) error {
	if err := s.serveComposed(s.edit.cfg, stored); err != nil {
		return failed("The board was saved but could not be served.", fmt.Errorf("serve boards: %w", err))
	}
	e := boardstore.Entry{At: s.now(), Who: c.who, Action: c.action, Board: id, Summary: summary}
	if err := s.opts.Editing.Audit.Append(ctx, e); err != nil {
		return failed("The change was applied but the audit log could not be written.", fmt.Errorf("audit: %w", err))
	}
	s.log.Info("board changed", "action", c.action, "board", id, "by", c.who, "summary", summary)
	return nil
}
