package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// auditShown is how many audit entries /admin/boards lists.
const auditShown = 50

// What a change on /admin/boards did, by the done= its redirect carries.
var boardDone = map[string]string{
	"create":  "The board was created; open screens can show it now.",
	"copy":    "The copy was created.",
	"edit":    "The board was saved; open screens show it at once.",
	"deleted": "The board was deleted.",
}

// handleBoardsAdmin is /admin/boards: every board served, and the audit log.
func (s *Server) handleBoardsAdmin(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	s.renderBoardsAdmin(w, r, http.StatusOK, p, views.BoardsPageProps{Message: boardDone[r.URL.Query().Get("done")]})
}

func (s *Server) renderBoardsAdmin(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, props views.BoardsPageProps) {
	props.CSRF, props.User, props.Version = auth.CSRFToken(r.Context()), p.Name, s.opts.Build.String()
	ed := s.opts.Editing
	props.Editable = ed.Store != nil
	stored, err := s.storedBoards(r.Context())
	if err != nil {
		s.failHTML(w, r, failed("Reading the edited boards failed.", err))
		return
	}
	s.edit.mu.Lock()
	shadowed := s.edit.shadowed
	s.edit.mu.Unlock()
	for _, b := range s.Boards() {
		row := views.BoardRow{ID: b.ID, Title: b.Title, FromConfig: s.isConfigBoard(b.ID)}
		if i := slices.IndexFunc(stored, func(x boardstore.Board) bool { return x.ID == b.ID }); i >= 0 && !row.FromConfig {
			row.UpdatedBy, row.Updated = stored[i].UpdatedBy, stored[i].UpdatedAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		props.Boards = append(props.Boards, row)
	}
	for _, sb := range stored {
		if why, ok := shadowed[sb.ID]; ok {
			props.Boards = append(props.Boards, views.BoardRow{ID: sb.ID, Shadowed: why, UpdatedBy: sb.UpdatedBy,
				Updated: sb.UpdatedAt.UTC().Format("2006-01-02 15:04 UTC")})
		}
	}
	if ed.Audit != nil {
		entries, err := ed.Audit.Recent(r.Context(), auditShown)
		if err != nil {
			s.failHTML(w, r, failed("Reading the audit log failed.", err))
			return
		}
		for _, e := range entries {
			props.Audit = append(props.Audit, views.AuditRow{At: e.At.UTC().Format("2006-01-02 15:04:05 UTC"), Who: e.Who,
				Action: string(e.Action), Board: e.Board, Summary: e.Summary})
		}
	}
	s.renderHTML(w, r, code, views.BoardsPage(props))
}

// handleBoardNew is the empty form, or with ?copy=<id> a copy of any served board.
func (s *Server) handleBoardNew(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	v := boardValues{fields: map[string]string{}}
	copyOf := r.URL.Query().Get("copy")
	if copyOf != "" {
		var err error
		if v, err = s.valuesOf(r, copyOf); err != nil {
			s.failHTML(w, r, err)
			return
		}
		v.fields["id"] = copyOf + "-copy"
	}
	s.renderBoardForm(w, r, http.StatusOK, p, v, views.BoardFormProps{CopyOf: copyOf})
}

// valuesOf fills the form from board id: a stored board from its YAML, a config
// board from what is served.
func (s *Server) valuesOf(r *http.Request, id string) (boardValues, error) {
	if !s.isConfigBoard(id) {
		stored, err := s.storedBoards(r.Context())
		if err != nil {
			return boardValues{}, failed("Reading the edited boards failed.", err)
		}
		if i := slices.IndexFunc(stored, func(b boardstore.Board) bool { return b.ID == id }); i >= 0 {
			v, err := valuesFromYAML(stored[i].YAML)
			if err != nil {
				return boardValues{}, failed("The stored board cannot be read.", fmt.Errorf("board %s: %w", id, err))
			}
			return v, nil
		}
	}
	b, ok := s.boardSet().board(id)
	if !ok {
		return boardValues{}, refuse(errNotFound, "There is no board “"+id+"”.")
	}
	return valuesFromBoard(b), nil
}

// handleBoardEdit is the form for an edited board; config boards are refused.
func (s *Server) handleBoardEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	if s.isConfigBoard(id) {
		s.failHTML(w, r, refuse(errForbidden, "Board “"+id+"” comes from the config file and is read-only here: copy it, or change the file and reload."))
		return
	}
	v, err := s.valuesOf(r, id)
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	s.renderBoardForm(w, r, http.StatusOK, p, v, views.BoardFormProps{Editing: id})
}

// handleBoardCreate saves a new board (or a copy).
func (s *Server) handleBoardCreate(w http.ResponseWriter, r *http.Request) {
	action := boardstore.ActionCreate
	if r.PostFormValue("copy_of") != "" {
		action = boardstore.ActionCopy
	}
	s.saveBoard(w, r, action, "")
}

// handleBoardSave saves an edited board.
func (s *Server) handleBoardSave(w http.ResponseWriter, r *http.Request) {
	s.saveBoard(w, r, boardstore.ActionEdit, chi.URLParam(r, "id"))
}

func (s *Server) saveBoard(w http.ResponseWriter, r *http.Request, action boardstore.Action, id string) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	v := valuesFromForm(r.PostForm)
	done, err := s.changeBoard(r.Context(), boardChange{action: action, id: id, yaml: v.yaml(), who: p.Name})
	if err != nil {
		props := views.BoardFormProps{Editing: id, CopyOf: r.PostFormValue("copy_of")}
		code := http.StatusUnprocessableEntity
		var bad *errBoardInvalid
		if errors.As(err, &bad) {
			props.Errors = problemLines(bad.err)
		} else {
			code, props.Error = s.status(w, r, err)
		}
		s.renderBoardForm(w, r, code, p, v, props)
		return
	}
	s.log.Debug("board saved", "board", done)
	http.Redirect(w, r, "/admin/boards?done="+string(action), http.StatusSeeOther)
}

// handleBoardDelete removes an edited board no screen shows.
func (s *Server) handleBoardDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	_, err := s.changeBoard(r.Context(), boardChange{action: boardstore.ActionDelete, id: chi.URLParam(r, "id"), who: p.Name})
	if err != nil {
		code, reason := s.status(w, r, err)
		s.renderBoardsAdmin(w, r, code, p, views.BoardsPageProps{Error: reason})
		return
	}
	http.Redirect(w, r, "/admin/boards?done=deleted", http.StatusSeeOther)
}

// handleBoardPreview renders the wall of the posted, unsaved board with the data of
// the moment: a static page (no socket), shown in the form's preview frame.
func (s *Server) handleBoardPreview(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	if s.opts.Editing.Parse == nil {
		s.failHTML(w, r, refuse(errUnavailable, "Boards cannot be edited on this server."))
		return
	}
	b, err := s.opts.Editing.Parse([]byte(valuesFromForm(r.PostForm).yaml()))
	if err != nil {
		s.renderHTML(w, r, http.StatusOK, views.BoardPreviewError(problemLines(err)))
		return
	}
	var buf bytes.Buffer
	// The frame is laid out "sd" (app.css .board-preview), so the wall's script keeps it.
	v := views.Variant{Board: b, Audience: views.Wall, Size: views.SizeSD}
	if err := views.RenderPage(r.Context(), &buf, v, s.opts.Store.Load(), views.PageOpts{ServerNow: s.now()}); err != nil {
		s.failHTML(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// renderBoardForm shows the form holding v, with the live skill list to pick from.
func (s *Server) renderBoardForm(w http.ResponseWriter, r *http.Request, code int, p auth.Principal, v boardValues, props views.BoardFormProps) {
	props.CSRF, props.User, props.Version = auth.CSRFToken(r.Context()), p.Name, s.opts.Build.String()
	props.Action, props.Heading = "/admin/boards", "New board"
	if props.Editing != "" {
		props.Action, props.Heading = "/admin/boards/"+props.Editing, "Edit board "+props.Editing
	} else if props.CopyOf != "" {
		props.Heading = "Copy of " + props.CopyOf
	}
	f := v.fields
	props.ID, props.Title, props.Order, props.Theme, props.Accent = f["id"], f["title"], f["order"], f["theme"], f["accent"]
	props.Public, props.ShowTranscripts = f["public"] == "true", f["show_transcripts"] == "true"
	for _, k := range tileKinds {
		pos := ""
		if i := slices.Index(v.tiles, string(k)); i >= 0 {
			pos = strconv.Itoa(i + 1)
		}
		props.Tiles = append(props.Tiles, views.TileChoice{Kind: string(k), Pos: pos})
	}
	props.Skills = s.skillChoices(v.skills)
	for _, fk := range thresholdKeys {
		props.Thresholds = append(props.Thresholds, views.FormField{Name: fk.key, Label: fk.label, Value: f[fk.key]})
	}
	props.SkillThresholds = skillThresholdRows(v, props.Skills)
	s.renderHTML(w, r, code, views.BoardFormPage(props))
}

// skillChoices lists the board's skills first, ticked and in their order (what
// order: config shows), then the current snapshot's other skills to pick from.
// A listed skill the data does not have (now) stays listed, so saving keeps it.
func (s *Server) skillChoices(listed []string) []views.SkillChoice {
	var live []snapshot.Skill
	if snap := s.opts.Store.Load(); snap != nil {
		live = snap.Skills
	}
	out := make([]views.SkillChoice, 0, len(listed)+len(live))
	for _, l := range listed {
		c := views.SkillChoice{Key: l, Name: "(not in the current data)", Checked: true}
		if i := slices.IndexFunc(live, func(sk snapshot.Skill) bool { return sk.Key == l || sk.Name == l }); i >= 0 {
			c.Key, c.Name = live[i].Key, live[i].Name
		}
		out = append(out, c)
	}
	for _, sk := range live {
		if !slices.ContainsFunc(out, func(c views.SkillChoice) bool { return c.Key == sk.Key }) {
			out = append(out, views.SkillChoice{Key: sk.Key, Name: sk.Name})
		}
	}
	return out
}

// problemLines splits a config error into the lines the form lists.
func problemLines(err error) []string {
	return strings.Split(strings.TrimSpace(err.Error()), "\n")
}
