package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// maxAnnounceBody caps a POST /api/v1/announcements body: 280 characters and a few
// board ids never need more.
const maxAnnounceBody = 16 << 10

// announceRequest is the JSON body of POST /api/v1/announcements. The expiry is
// expires_in (a duration: "30m", "2h") or expires_at (RFC 3339), one of them.
type announceRequest struct {
	Text      string   `json:"text"`
	Level     string   `json:"level"`
	Boards    []string `json:"boards"`
	ExpiresIn string   `json:"expires_in"`
	ExpiresAt string   `json:"expires_at"`
}

// parseAnnounceRequest reads a JSON announcement strictly (unknown fields and
// trailing data are errors) into a draft at now. Its errors are for the poster.
func parseAnnounceRequest(body io.Reader, now time.Time) (announce.Draft, error) {
	dec := json.NewDecoder(io.LimitReader(body, maxAnnounceBody+1))
	dec.DisallowUnknownFields()
	var req announceRequest
	if err := dec.Decode(&req); err != nil {
		return announce.Draft{}, errors.New("the body must be a JSON object with text, level, boards and expires_in or expires_at (" + jsonProblem(err) + ")")
	}
	if dec.More() {
		return announce.Draft{}, errors.New("the body must be one JSON object")
	}
	exp, err := parseExpiry(req.ExpiresIn, req.ExpiresAt, now)
	if err != nil {
		return announce.Draft{}, err
	}
	return announce.Draft{Text: req.Text, Level: announce.Level(req.Level), Boards: req.Boards, ExpiresAt: exp}, nil
}

// jsonProblem names what is wrong with a body without echoing it.
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ):
		return typ.Field + " has the wrong type"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + quoteID(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it is empty or cut short"
	}
	return "it is not valid JSON"
}

// parseExpiry reads expires_in (a Go duration) or expires_at (RFC 3339), exactly one.
func parseExpiry(in, at string, now time.Time) (time.Time, error) {
	switch {
	case in != "" && at != "":
		return time.Time{}, errors.New("give expires_in or expires_at, not both")
	case in != "":
		d, err := time.ParseDuration(in)
		if err != nil || d <= 0 {
			return time.Time{}, errors.New(`expires_in must be a positive duration such as "30m" or "2h"`)
		}
		return now.Add(d), nil
	case at != "":
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return time.Time{}, errors.New(`expires_at must be an RFC 3339 time such as "2026-03-02T14:30:00Z"`)
		}
		return t, nil
	}
	return time.Time{}, errors.New("an announcement needs an expiry: expires_in or expires_at")
}

// bearerOr routes a request that carries an Authorization header to token (API
// tokens: no cookie, no CSRF) and any other to session.
func bearerOr(token http.HandlerFunc, session http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			token(w, r)
			return
		}
		session.ServeHTTP(w, r)
	})
}

// mayAnnounce reports whether p may post and withdraw announcements: an API token
// (checked for the announce scope by poster), a manager or an admin — not a viewer.
func mayAnnounce(p auth.Principal) bool {
	return p.Kind == auth.KindAPIToken || p.IsUser() && p.Role != auth.RoleViewer
}

// poster is who posts or withdraws an announcement: an API token with the announce
// scope, or a signed-in manager or admin.
func (s *Server) poster(r *http.Request) (auth.Principal, error) {
	if s.opts.Announce == nil {
		return auth.Principal{}, refuse(errNotFound, "Announcements are not enabled on this server.")
	}
	if h := r.Header.Get("Authorization"); h != "" {
		return s.apiTokenPrincipal(r, h, auth.ScopeAnnounce)
	}
	p, err := s.auth.resolver.Resolve(r)
	switch {
	case err != nil:
		return p, err
	case p.Kind == auth.KindPublic:
		return p, refuse(errSignIn, "sign in first: announcements need a user session or an API token")
	case !mayAnnounce(p):
		return p, refuse(errForbidden, "only managers and admins post announcements")
	}
	return p, nil
}

// postable is the ids of the boards p may post to, in order: a user the boards they
// may open, an API token every board (tokens are not bound to boards).
func (s *Server) postable(p auth.Principal) []string {
	set := s.boardSet()
	if p.Kind == auth.KindAPIToken {
		return slices.Clone(set.order)
	}
	var out []string
	for _, id := range set.order {
		if b, _ := set.board(id); authorize(p, b, views.Manager, "") == accessOK {
			out = append(out, id)
		}
	}
	return out
}

// scopeDraft limits d to the boards p may post to: a named board p may not post to
// is refused like an unknown one, and "all" means all of p's boards (kept as "every
// board" when p may post to every board).
func (s *Server) scopeDraft(p auth.Principal, d *announce.Draft) error {
	mine := s.postable(p)
	all := len(d.Boards) == 0 || len(d.Boards) == 1 && d.Boards[0] == announce.AllBoards
	if all {
		if len(mine) < len(s.boardSet().order) {
			d.Boards = mine
		}
		return nil
	}
	for _, b := range d.Boards {
		if b != announce.AllBoards && !slices.Contains(mine, b) {
			return refuse(errBadRequest, "unknown board "+quoteID(b))
		}
	}
	return nil
}

// quoteID quotes a board id from a request, cut short, for an error reason.
func quoteID(id string) string {
	if len(id) > 64 {
		id = id[:64] + "…"
	}
	return "“" + strings.ToValidUTF8(id, "") + "”"
}

// mayWithdraw reports whether p may withdraw a: it may post to each of a's boards
// (to every board, for one shown on all).
func (s *Server) mayWithdraw(p auth.Principal) func(announce.Announcement) bool {
	mine := s.postable(p)
	return func(a announce.Announcement) bool {
		if len(a.Boards) == 0 {
			return len(mine) == len(s.boardSet().order)
		}
		for _, b := range a.Boards {
			if !slices.Contains(mine, b) {
				return false
			}
		}
		return true
	}
}

// post posts d for p, mapping the feed's refusals to statuses.
func (s *Server) post(r *http.Request, p auth.Principal, d announce.Draft) (announce.Announcement, error) {
	if err := s.scopeDraft(p, &d); err != nil {
		return announce.Announcement{}, err
	}
	a, err := s.opts.Announce.Post(r.Context(), d, p.Name)
	switch {
	case errors.Is(err, announce.ErrInvalid):
		return a, refuse(errBadRequest, strings.TrimPrefix(err.Error(), announce.ErrInvalid.Error()+": "))
	case errors.Is(err, announce.ErrFull):
		return a, refuse(errConflict, err.Error()[len("announce: "):])
	case err != nil:
		return a, failed("The announcement could not be saved.", err)
	}
	s.log.Info("announcement posted", "id", a.ID, "by", a.By, "level", a.Level, "boards", a.Boards, "expires", a.ExpiresAt)
	return a, nil
}

// withdraw withdraws announcement id for p.
func (s *Server) withdraw(r *http.Request, p auth.Principal, id string) error {
	a, err := s.opts.Announce.Withdraw(r.Context(), id, s.mayWithdraw(p))
	switch {
	case errors.Is(err, announce.ErrNotFound):
		return refuse(errNotFound, "That announcement is not shown any more (withdrawn or expired).")
	case err != nil:
		return failed("The announcement could not be withdrawn.", err)
	}
	s.log.Info("announcement withdrawn", "id", a.ID, "by", p.Name)
	return nil
}

// handleAnnouncePost serves POST /api/v1/announcements (JSON): 201 with the
// announcement, or 4xx with the reason.
func (s *Server) handleAnnouncePost(w http.ResponseWriter, r *http.Request) {
	p, err := s.poster(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	d, err := parseAnnounceRequest(r.Body, s.now())
	if err != nil {
		s.failJSON(w, r, refuse(errBadRequest, err.Error()))
		return
	}
	a, err := s.post(r, p, d)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/v1/announcements/"+a.ID)
	writeJSON(w, http.StatusCreated, a)
}

// handleAnnounceDelete serves DELETE /api/v1/announcements/{id}: withdraws it (204).
func (s *Server) handleAnnounceDelete(w http.ResponseWriter, r *http.Request) {
	p, err := s.poster(r)
	if err == nil {
		err = s.withdraw(r, p, chi.URLParam(r, "id"))
	}
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// announcementsBody is GET /api/v1/announcements.
type announcementsBody struct {
	Announcements []announce.Announcement `json:"announcements"`
}

// handleAnnouncements serves GET /api/v1/announcements[?board=]: the active
// announcements of the boards the caller may see (a signed-in user, or an API token
// with the read or announce scope), urgent first, then newest first.
func (s *Server) handleAnnouncements(w http.ResponseWriter, r *http.Request) {
	if s.opts.Announce == nil {
		s.failJSON(w, r, refuse(errNotFound, "Announcements are not enabled on this server."))
		return
	}
	var (
		p   auth.Principal
		err error
	)
	if h := r.Header.Get("Authorization"); h != "" {
		p, err = s.apiTokenPrincipal(r, h, auth.ScopeRead, auth.ScopeAnnounce)
	} else {
		p, err = s.apiPrincipal(r)
	}
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	mine := s.postable(p)
	if p.Kind != auth.KindAPIToken {
		mine = slices.DeleteFunc(slices.Clone(s.boardSet().order), func(id string) bool { return !p.CanSeeBoard(id) })
	}
	board := r.URL.Query().Get("board")
	if board != "" && !slices.Contains(mine, board) {
		s.failJSON(w, r, refuse(errNotFound, "no such board"))
		return
	}
	body := announcementsBody{Announcements: []announce.Announcement{}}
	for _, a := range s.opts.Announce.Active(board) {
		if slices.ContainsFunc(mine, a.On) {
			body.Announcements = append(body.Announcements, a)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// handleNoticePost serves the manager board's form: POST /boards/{board}/announcements
// (text, level, boards, expires_in; CSRF-checked), then back to the board.
func (s *Server) handleNoticePost(w http.ResponseWriter, r *http.Request) {
	board := chi.URLParam(r, "board")
	p, err := s.formPoster(r, board)
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	exp, err := parseExpiry(r.PostFormValue("expires_in"), "", s.now())
	if err != nil {
		s.failHTML(w, r, refuse(errBadRequest, "Choose how long the announcement stays."))
		return
	}
	d := announce.Draft{Text: r.PostFormValue("text"), Level: announce.Level(r.PostFormValue("level")), Boards: r.PostForm["boards"], ExpiresAt: exp}
	if slices.Contains(d.Boards, announce.AllBoards) {
		d.Boards = []string{announce.AllBoards}
	}
	if len(d.Boards) == 0 {
		s.failHTML(w, r, refuse(errBadRequest, "Choose at least one board (or all boards)."))
		return
	}
	if _, err := s.post(r, p, d); err != nil {
		s.failHTML(w, r, err)
		return
	}
	http.Redirect(w, r, "/boards/"+board, http.StatusSeeOther)
}

// handleNoticeWithdraw serves the manager board's withdraw button:
// POST /boards/{board}/announcements/{id}/withdraw (CSRF-checked).
func (s *Server) handleNoticeWithdraw(w http.ResponseWriter, r *http.Request) {
	board := chi.URLParam(r, "board")
	p, err := s.formPoster(r, board)
	if err == nil {
		err = s.withdraw(r, p, chi.URLParam(r, "id"))
	}
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	http.Redirect(w, r, "/boards/"+board, http.StatusSeeOther)
}

// formPoster is the signed-in manager behind a form of board's manager page.
func (s *Server) formPoster(r *http.Request, board string) (auth.Principal, error) {
	if r.Header.Get("Authorization") != "" {
		return auth.Principal{}, refuse(errBadRequest, "the manager board's forms take a session, not an API token")
	}
	p, err := s.poster(r)
	if err != nil {
		return p, err
	}
	if b, ok := s.boardSet().board(board); !ok || authorize(p, b, views.Manager, "") != accessOK {
		return p, refuse(errNotFound, "There is no board called “"+board+"”.")
	}
	return p, nil
}

// noticeForm is the post form of board's manager page for p.
func (s *Server) noticeForm(p auth.Principal, board, csrf string) *views.NoticeFormProps {
	f := &views.NoticeFormProps{Action: "/boards/" + board + "/announcements", CSRF: csrf, Current: board, Max: announce.MaxText}
	set := s.boardSet()
	for _, id := range s.postable(p) {
		b, _ := set.board(id)
		f.Boards = append(f.Boards, views.BoardChoice{ID: id, Title: b.Title})
	}
	return f
}
