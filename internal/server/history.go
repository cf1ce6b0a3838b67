package server

import (
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// seriesBody is the JSON answer of /api/v1/history.
type seriesBody struct {
	Skill     string          `json:"skill"`
	Channel   string          `json:"channel,omitempty"`
	Metric    string          `json:"metric"`
	Unit      history.Unit    `json:"unit"`
	From      time.Time       `json:"from"`
	To        time.Time       `json:"to"`
	StepSec   float64         `json:"stepSec"`
	Available bool            `json:"available"`
	Points    []history.Point `json:"points"`
}

// apiPrincipal resolves who asks an API question: an integration's API token
// (Authorization: Bearer, limited to the token's skills) or a signed-in user, limited
// to their scope like their pages.
func (s *Server) apiPrincipal(r *http.Request) (auth.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.apiTokenPrincipal(r, h, auth.ScopeRead)
	}
	p, err := s.auth.resolver.Resolve(r)
	switch {
	case err != nil:
		return p, err
	case p.Kind == auth.KindPublic:
		return p, refuse(errSignIn, "sign in first: the API needs a user session")
	case !p.IsUser():
		return p, refuse(errForbidden, "device and embed links do not give access to the API")
	}
	return p, nil
}

// apiTokenPrincipal verifies the Bearer token in header; it must hold one of scopes.
func (s *Server) apiTokenPrincipal(r *http.Request, header string, scopes ...string) (auth.Principal, error) {
	secret, ok := auth.BearerToken(header)
	if !ok {
		return auth.Principal{}, refuse(errSignIn, "send the API token as Authorization: Bearer <token>")
	}
	if s.opts.APITokens == nil {
		return auth.Principal{}, refuse(errSignIn, "API tokens are not enabled on this server")
	}
	t, err := s.opts.APITokens.VerifyAPIToken(r.Context(), secret)
	switch {
	case errors.Is(err, auth.ErrRevoked):
		return auth.Principal{}, refuse(errSignIn, "this API token was revoked")
	case errors.Is(err, auth.ErrUnknownToken):
		return auth.Principal{}, refuse(errSignIn, "unknown API token")
	case err != nil:
		return auth.Principal{}, failed("API tokens cannot be checked right now", err)
	case !slices.ContainsFunc(scopes, t.Allows):
		return auth.Principal{}, refuse(errForbidden, "this API token lacks the "+strings.Join(scopes, " or ")+" scope")
	}
	return auth.APITokenPrincipal(t), nil
}

// handleHistory serves one metric of one skill over a range:
// /api/v1/history?skill=&metric=&channel=&from=&to=&step= as JSON, or CSV when the
// client accepts text/csv. from and to are RFC 3339 (default: the last hour), step a
// Go duration (default 1m).
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	p, err := s.apiPrincipal(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	if s.opts.History == nil {
		s.failJSON(w, r, refuse(errUnavailable, "history is not kept on this server"))
		return
	}
	q, err := s.seriesQuery(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	if !p.Scope.Allows(q.Skill) {
		s.failJSON(w, r, refuse(errForbidden, "skill "+q.Skill+" is not in your scope"))
		return
	}
	pts, err := s.opts.History.Series(r.Context(), q)
	switch {
	case errors.Is(err, history.ErrNotFound):
		pts = []history.Point{}
	case err != nil:
		s.failJSON(w, r, historyError(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if accepts(r, "text/csv") {
		writeSeriesCSV(w, pts)
		return
	}
	writeJSON(w, http.StatusOK, seriesBody{Skill: q.Skill, Channel: string(q.Channel), Metric: q.Metric.Name, Unit: q.Metric.Unit,
		From: q.From, To: q.To, StepSec: q.Step.Seconds(), Available: s.opts.History.Available(), Points: pts})
}

func (s *Server) seriesQuery(r *http.Request) (history.Query, error) {
	v := r.URL.Query()
	now := s.now()
	q := history.Query{Skill: v.Get("skill"), Channel: snapshot.Channel(v.Get("channel")), To: now, Step: time.Minute}
	if q.Skill == "" {
		return q, refuse(errBadRequest, "skill is required (a skill key such as comm100:123)")
	}
	switch q.Channel {
	case "", snapshot.Chat, snapshot.Messaging:
	default:
		return q, refuse(errBadRequest, "channel must be chat or messaging")
	}
	m, err := history.MetricNamed(v.Get("metric"))
	if err != nil {
		return q, historyError(err)
	}
	q.Metric = m
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"to", &q.To}, {"from", &q.From}} {
		if raw := v.Get(t.name); raw != "" {
			at, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				return q, refuse(errBadRequest, t.name+" must be an RFC 3339 time such as 2026-03-02T10:40:00Z")
			}
			*t.dst = at
		}
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-time.Hour)
	}
	if raw := v.Get("step"); raw != "" {
		if q.Step, err = time.ParseDuration(raw); err != nil {
			return q, refuse(errBadRequest, "step must be a duration such as 10s, 1m or 1h")
		}
	}
	return q, nil
}

// historyError turns a history error into a refusal whose reason the person reads.
func historyError(err error) error {
	switch {
	case errors.Is(err, history.ErrBadQuery):
		return refuse(errBadRequest, strings.TrimPrefix(err.Error(), history.ErrBadQuery.Error()+": "))
	case errors.Is(err, history.ErrNotFound):
		return refuse(errNotFound, "no history at that time")
	}
	return failed("history is unavailable right now", err)
}

func accepts(r *http.Request, mime string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if t, _, _ := strings.Cut(strings.TrimSpace(part), ";"); strings.EqualFold(t, mime) {
			return true
		}
	}
	return false
}

// writeSeriesCSV writes at,min,max,last rows; unknown values are empty cells.
func writeSeriesCSV(w http.ResponseWriter, pts []history.Point) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"at", "min", "max", "last"})
	cell := func(o snapshot.Opt[float64]) string {
		if v, ok := o.Get(); ok {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return ""
	}
	for _, p := range pts {
		_ = cw.Write([]string{p.At.UTC().Format(time.RFC3339), cell(p.Min), cell(p.Max), cell(p.Last)})
	}
	cw.Flush()
}

// snapshotAt answers /api/v1/snapshot?at=: the snapshot as it was then.
func (s *Server) snapshotAt(r *http.Request, raw string) (*snapshot.Snapshot, error) {
	if s.opts.History == nil {
		return nil, refuse(errUnavailable, "history is not kept on this server")
	}
	at, err := history.ParseAt(raw, s.now())
	if err != nil {
		return nil, historyError(err)
	}
	snap, err := s.opts.History.At(r.Context(), at)
	if err != nil {
		return nil, historyError(err)
	}
	return snap, nil
}

// timeTravel finds the snapshot a manager page ?at= asks for and the scrubber's range
// (the last RawWindow, where every snapshot is kept).
func (s *Server) timeTravel(r *http.Request, q url.Values) (*snapshot.Snapshot, *views.TimeTravel, error) {
	if s.opts.History == nil {
		return nil, nil, refuse(errUnavailable, "History is not kept on this server.")
	}
	now := s.now()
	at, err := history.ParseAt(q.Get("at"), now)
	if err != nil {
		return nil, nil, historyError(err)
	}
	snap, err := s.opts.History.At(r.Context(), at)
	if errors.Is(err, history.ErrNotFound) {
		return nil, nil, refuse(errNotFound, "Nothing was recorded at "+at.Local().Format("15:04 Mon 2 Jan")+": history starts when the server does, and keeps every snapshot for 24 h.")
	}
	if err != nil {
		return nil, nil, historyError(err)
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "at" {
			rest[k] = v
		}
	}
	base := r.URL.Path
	if enc := rest.Encode(); enc != "" {
		base += "?" + enc
	}
	return snap, &views.TimeTravel{At: at, Shown: snap.TakenAt, Earliest: now.Add(-history.RawWindow), Latest: now, Base: base}, nil
}
