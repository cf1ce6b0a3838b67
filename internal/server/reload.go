package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/views"
)

// ReloadResult is the outcome of one config reload, shown on /admin/config.
type ReloadResult struct {
	At time.Time
	// Refused is true when the new config was invalid: nothing changed.
	Refused bool
	// Problems say why it was refused, one line per problem naming its YAML key, as
	// at start-up.
	Problems []string
	// Applied says what changed in place ("boards: 3 boards").
	Applied []string
	// Restart lists changed keys that only a restart applies; their running values stay.
	Restart []string
}

// Reloader re-reads the config file and applies it in place (main builds it from
// SetBoards, SetUsers and the poller and alert engine). It never returns partly
// applied on a refusal.
type Reloader func(ctx context.Context) ReloadResult

// reloads serializes reloads (SIGHUP and the admin button) and keeps the last one.
type reloads struct {
	mu   sync.Mutex
	last *ReloadResult
}

// Reload runs Options.Reload once (one at a time) and keeps its result for the admin
// page; it is the one path of SIGHUP and the admin page's button. Without a reloader
// (the demo) it refuses, saying there is no file to re-read.
func (s *Server) Reload(ctx context.Context) ReloadResult {
	s.reloads.mu.Lock()
	defer s.reloads.mu.Unlock()
	var res ReloadResult
	if s.opts.Reload == nil {
		res = ReloadResult{Refused: true, Problems: []string{"the server was started without --config: there is no file to re-read"}}
	} else {
		res = s.opts.Reload(ctx)
	}
	if res.At.IsZero() {
		res.At = s.now()
	}
	s.reloads.last = &res
	return res
}

// LastReload returns the last reload's result; ok is false before the first.
func (s *Server) LastReload() (ReloadResult, bool) {
	s.reloads.mu.Lock()
	defer s.reloads.mu.Unlock()
	if s.reloads.last == nil {
		return ReloadResult{}, false
	}
	return *s.reloads.last, true
}

// handleConfig shows the config file and the last reload to admins.
func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	props := views.ConfigPageProps{CSRF: auth.CSRFToken(r.Context()), User: p.Name, Version: s.opts.Build.String(), File: s.opts.ConfigFile}
	if last, ok := s.LastReload(); ok {
		props.Last = &views.ReloadView{At: last.At.UTC().Format(time.RFC3339), AtMS: strconv.FormatInt(last.At.UnixMilli(), 10),
			Refused: last.Refused, Problems: last.Problems, Applied: last.Applied, Restart: last.Restart}
	}
	s.renderHTML(w, r, http.StatusOK, views.ConfigPage(props))
}

// handleConfigReload is the admin page's reload button: the same reload as SIGHUP.
// It runs beside the request (a reload must not stop half-way because the browser
// went away) and shows its result on /admin/config.
func (s *Server) handleConfigReload(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireAdmin(w, r)
	if !ok {
		return
	}
	res := s.Reload(context.WithoutCancel(r.Context()))
	s.log.Info("config reload from the admin page", "by", p.Name, "refused", res.Refused)
	http.Redirect(w, r, "/admin/config", http.StatusSeeOther)
}
