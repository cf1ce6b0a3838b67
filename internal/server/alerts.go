package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// handleAlertAck acknowledges one alert from the manager board (a CSRF-checked form:
// id, note). It silences the alert on every screen through the live loop and records
// who. A manager limited to some skills cannot acknowledge (nor learn of) the alerts
// of other skills: those answer 404 like alerts that do not exist.
func (s *Server) handleAlertAck(w http.ResponseWriter, r *http.Request) {
	p, err := s.alertUser(r)
	if err != nil {
		s.failHTML(w, r, err)
		return
	}
	board := chi.URLParam(r, "board")
	b, ok := s.boardSet().board(board)
	if !ok || authorize(p, b, views.Manager, "") != accessOK {
		s.failHTML(w, r, refuse(errNotFound, "There is no board called “"+board+"”."))
		return
	}
	id, note := r.PostFormValue("id"), r.PostFormValue("note")
	if !strings.HasPrefix(id, board+"/") {
		s.failHTML(w, r, refuse(errNotFound, "That alert is not on this board."))
		return
	}
	switch _, err := s.opts.Alerts.Ack(id, p.Name, note, p.Scope); {
	case errors.Is(err, alerts.ErrBadNote):
		s.failHTML(w, r, refuse(errBadRequest, "The note is longer than 280 characters."))
		return
	case err != nil:
		s.failHTML(w, r, refuse(errNotFound, "That alert is not shown any more (it may have cleared)."))
		return
	}
	http.Redirect(w, r, "/boards/"+board, http.StatusSeeOther)
}

// alertUser is the signed-in user an alert request acts for.
func (s *Server) alertUser(r *http.Request) (auth.Principal, error) {
	if s.opts.Alerts == nil {
		return auth.Principal{}, refuse(errNotFound, "Alerts are not configured on this server.")
	}
	p, err := s.auth.resolver.Resolve(r)
	switch {
	case err != nil:
		return p, err
	case p.Kind == auth.KindPublic:
		return p, refuse(errSignIn, "sign in first: alerts need a user session")
	case !p.IsUser():
		return p, refuse(errForbidden, "device and embed links do not give access to alerts")
	}
	return p, nil
}

// alertsBody is GET /api/v1/alerts: the shown alerts and the log of the boards the user
// may see, limited to their skills.
type alertsBody struct {
	Alerts []alerts.Alert `json:"alerts"`
	Log    []alerts.Event `json:"log"`
}

// maxLog caps the events one /api/v1/alerts answer carries (?limit=, default 500).
const maxLog = 5000

// handleAlerts serves GET /api/v1/alerts[?board=][&limit=]: shown alerts and the last
// 7 days of the log, newest first.
func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) {
	p, err := s.alertUser(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	q := r.URL.Query()
	limit := 500
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxLog {
			s.failJSON(w, r, refuse(errBadRequest, "limit must be a number from 1 to 5000"))
			return
		}
	}
	boards := s.boardSet().order
	if id := q.Get("board"); id != "" {
		if _, ok := s.boardSet().board(id); !ok || !p.CanSeeBoard(id) {
			s.failJSON(w, r, refuse(errNotFound, "no such board"))
			return
		}
		boards = []string{id}
	}
	body := alertsBody{Alerts: []alerts.Alert{}, Log: []alerts.Event{}}
	for _, id := range boards {
		if !p.CanSeeBoard(id) {
			continue
		}
		body.Alerts = append(body.Alerts, s.opts.Alerts.Alerts(id, p.Scope)...)
	}
	log, err := s.opts.Alerts.Log(r.Context(), "", p.Scope, 0)
	if err != nil {
		s.failJSON(w, r, failed("The alert log could not be read.", err))
		return
	}
	for _, ev := range log {
		if len(body.Log) < limit && slices.Contains(boards, ev.Alert.Board) && p.CanSeeBoard(ev.Alert.Board) {
			body.Log = append(body.Log, ev)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}
