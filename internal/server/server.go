package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
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
	// Boards are the dashboards served. Empty means views.DefaultBoard().
	Boards []views.Board
	// Hub tunes the WebSocket hub (queue size, ping interval). Zero means defaults.
	Hub hub.Options
	// Auth is access control. The zero value shows only boards marked public.
	Auth AuthOptions
	// History answers the history API and time travel. Nil means none is kept.
	History *history.History
	// APITokens verifies the Bearer tokens integrations send to the API. Nil means
	// the API takes signed-in users only.
	APITokens auth.APITokenStore
	// Limits bound connections, requests and anonymous sockets. Zero means defaults.
	Limits Limits
	// MetricsToken, if set, is the bearer token that opens /metrics (and the details
	// of /readyz) to requests from other hosts. Loopback needs none.
	MetricsToken string
	// Build is the binary's version, shown on /healthz and the admin pages.
	Build BuildInfo
	// Screens are the playlists, pairing and the screens page's limits.
	Screens ScreensOptions
	// KickElsewhere tells the other replicas to close the sockets of a revoked device
	// or embed link (the key of its principal); nil on a single replica. A failure is
	// logged: the revoke itself stands, and the other replicas' sockets end at their
	// next reconnect.
	KickElsewhere func(ctx context.Context, key, reason string) error
	// Alerts evaluates the boards' alert rules once per snapshot and keeps their state.
	// Nil means no alerting. The caller runs it (Engine.Run) beside the server.
	Alerts *alerts.Engine
	// ConfigFile is the config file's path, shown on /admin/config. Empty means none
	// (the demo).
	ConfigFile string
	// Reload re-reads and applies the config file (Server.Reload: SIGHUP and the admin
	// button). Nil means there is nothing to reload.
	Reload Reloader
	// Announce keeps the announcements managers and integrations post to the walls.
	// Nil means announcements are off. The caller runs it (Feed.Run) beside the server.
	Announce *announce.Feed
	// Editing is /admin/boards: boards edited in the browser, served after Boards.
	Editing BoardEditing
	// Conversations fetches the conversations behind a drill-down while someone has it
	// open. Nil means drill-downs show none.
	Conversations *convs.Manager
}

// Server is the HTTP edge of ccdash.
type Server struct {
	opts Options
	log  *slog.Logger
	now  func() time.Time
	reg  *prometheus.Registry

	// boards is the current board set; SetBoards swaps it (boardsMu orders swaps).
	boards   atomic.Pointer[boardSet]
	boardsMu sync.Mutex
	hub      *hub.Hub
	live     *live
	auth     *authState
	screens  *screenState
	edit     editState

	reloads reloads

	limits     Limits
	conns      *connLimiter
	sockets    *socketSlots
	listenAddr atomic.Value // string: the address Listener saw, for links
}

// New returns a Server; call Handler to serve it. It panics if opts.Auth is invalid:
// check it with AuthOptions.Validate first (main validates the config).
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
	if len(opts.Boards) == 0 {
		opts.Boards = []views.Board{views.DefaultBoard()}
	}
	s.boards.Store(newBoardSet(opts.Boards, 1))
	s.edit.cfg = opts.Boards
	if opts.Hub.Logger == nil {
		opts.Hub.Logger = s.log
	}
	s.limits = opts.Limits.WithDefaults()
	s.conns = newConnLimiter(s.limits.MaxConns, s.limits.MaxConnsPerIP)
	s.sockets = newSocketSlots(s.limits.MaxPublicSocketsPerBoard, s.limits.MaxPublicSocketsPerIP)
	s.hub = hub.New(opts.Hub)
	s.live = newLive(opts.Store, s.hub, s.log, s.now, opts.Alerts, &trendSource{h: opts.History})
	s.live.notices = opts.Announce
	s.live.rebind = s.rebind
	s.screens = newScreenState(opts.Screens, s.now)
	s.live.convs = opts.Conversations
	s.registerMetrics()
	a, err := newAuthState(opts.Auth, s.log, s.now)
	if err != nil {
		panic(err)
	}
	s.auth = a
	return s
}

// Run keeps the live pages current until ctx is done.
func (s *Server) Run(ctx context.Context) {
	go s.runScreens(ctx)
	s.live.run(ctx)
}

// Handler returns the route table: every route of ccdash in one place.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	// HEAD answers like GET without a body (monitors and link checkers use it).
	r.Use(middleware.GetHead)
	r.Use(s.auth.securityHeaders)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Handle("/metrics", s.operatorOnly(promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})))
	r.Handle("/metrics/contact-center", s.operatorOnly(s.contactCenterMetrics()))
	r.Handle("/static/*", http.StripPrefix("/static/", staticHandler()))
	r.Get("/theme/{file}", s.handleThemeCSS)

	// The live channel must not sit behind middleware that buffers or times out
	// responses (it is a hijacked, long-lived connection), nor behind LoadAndSave
	// (it cannot write cookies): it resolves the session read-only itself.
	r.Get("/ws", s.handleWS)

	// Everything a browser navigates to loads the session, and every state-changing
	// request must carry the session's CSRF token.
	r.Group(func(r chi.Router) {
		r.Use(s.auth.secureCookies, s.auth.sessions.LoadAndSave, auth.RequireCSRF(s.auth.csrfKey, s.auth.sessions))
		r.Get("/", s.handleIndex)
		r.Get("/login", s.handleLoginForm)
		r.Post("/login", s.handleLogin)
		r.Get("/logout", s.handleLogoutForm)
		r.Post("/logout", s.handleLogout)
		r.Get("/pair", s.handlePair)
		r.Get("/pair/wait", s.handlePairWait)
		r.Get("/admin/screens", s.handleScreens)
		r.Get("/admin/screens/table", s.handleScreensTable)
		r.Post("/admin/screens/pair", s.handleScreenPair)
		r.Post("/admin/screens/{id}/identify", s.screenAction("identify", s.control(views.ControlIdentify)))
		r.Post("/admin/screens/{id}/reload", s.screenAction("reload", s.control(views.ControlReload)))
		r.Post("/admin/screens/{id}/bind", s.screenAction("bind", s.bindScreen))
		r.Post("/admin/screens/{id}/revoke", s.screenAction("revoke", s.revokeScreen))
		r.Post("/admin/playlists", s.handlePlaylistCreate)
		r.Post("/admin/playlists/{id}/delete", s.handlePlaylistDelete)
		r.Get("/admin/boards", s.handleBoardsAdmin)
		r.Get("/admin/boards/new", s.handleBoardNew)
		r.Post("/admin/boards", s.handleBoardCreate)
		r.Post("/admin/boards/preview", s.handleBoardPreview)
		r.Get("/admin/boards/{id}/edit", s.handleBoardEdit)
		r.Post("/admin/boards/{id}", s.handleBoardSave)
		r.Post("/admin/boards/{id}/delete", s.handleBoardDelete)
		r.Get("/admin/devices", s.handleDevices)
		r.Post("/admin/devices", s.handleDeviceCreate)
		r.Post("/admin/devices/{id}/revoke", s.handleDeviceRevoke)
		r.Get("/admin/api-tokens", s.handleAPITokens)
		r.Post("/admin/api-tokens", s.handleAPITokenCreate)
		r.Post("/admin/api-tokens/{id}/revoke", s.handleAPITokenRevoke)
		r.Get("/admin/embeds", s.handleEmbeds)
		r.Post("/admin/embeds/{id}/revoke", s.handleEmbedRevoke)
		r.Get("/admin/config", s.handleConfig)
		r.Post("/admin/config/reload", s.handleConfigReload)
		r.Get("/api/v1/snapshot", s.handleSnapshot)
		r.Get("/api/v1/history", s.handleHistory)
		r.Get("/wall/{board}", s.handlePage(views.Wall))
		r.Get("/boards/{board}", s.handlePage(views.Manager))
		r.Post("/boards/{board}/alerts/ack", s.handleAlertAck)
		r.Get("/api/v1/alerts", s.handleAlerts)
		r.Post("/boards/{board}/announcements", s.handleNoticePost)
		r.Post("/boards/{board}/announcements/{id}/withdraw", s.handleNoticeWithdraw)
		r.Get("/api/v1/announcements", s.handleAnnouncements)
		r.Get("/embed/{board}", s.handlePage(views.Embed))
		r.Get("/embed/{board}/tiles/{tile}", s.handlePage(views.Embed))
	})
	// Integrations post and withdraw announcements with an API token, which no
	// browser sends by itself: those requests skip the session and its CSRF check.
	// Without a token they are a signed-in user's, and need the CSRF header.
	sessionCSRF := func(h http.HandlerFunc) http.Handler {
		return s.auth.secureCookies(s.auth.sessions.LoadAndSave(auth.RequireCSRF(s.auth.csrfKey, s.auth.sessions)(h)))
	}
	r.Method(http.MethodPost, "/api/v1/announcements", bearerOr(s.handleAnnouncePost, sessionCSRF(s.handleAnnouncePost)))
	r.Method(http.MethodDelete, "/api/v1/announcements/{id}", bearerOr(s.handleAnnounceDelete, sessionCSRF(s.handleAnnounceDelete)))
	r.NotFound(s.handleNotFound)
	return r
}

// Close ends every live connection (WebSockets are closed with 1012 so pages
// reconnect to the next instance by themselves), waiting for the close handshakes
// as long as the hub allows. Call it after http.Server.Shutdown has closed the
// listeners (Shutdown does not touch hijacked connections): a page redialling
// meanwhile would otherwise be answered 503 by a process on its way out.
func (s *Server) Close() {
	s.hub.Close()
	// The in-memory session store's cleanup goroutine is left to end with the process:
	// scs v2.9.0's MemStore.StopCleanup reads a field its own goroutine writes (a data
	// race, and a stop that can be missed), so calling it is worse than not.
}

// Shutdown is Close with the caller's deadline for the close handshakes: it
// returns an error if some sockets were still closing when ctx ended.
func (s *Server) Shutdown(ctx context.Context) error { return s.hub.Shutdown(ctx) }
