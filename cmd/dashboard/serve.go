package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/server"
	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// options are the command-line flags of `dashboard` (serve).
type options struct {
	config   string
	addr     string
	dataDir  string
	simSpeed float64
	simSeed  int64
	simFloor string
	// simInterval, when set, is how often the demo polls the simulator (both
	// sources); zero keeps 10 s for Comm100 and 15 s for LivePerson.
	simInterval time.Duration
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("dashboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.config, "config", "", "YAML config file; without it the demo runs on the built-in simulator")
	fs.StringVar(&o.addr, "addr", "", "listen address (overrides the config's listen; default 127.0.0.1:8080)")
	fs.StringVar(&o.dataDir, "data-dir", "", "state directory: device tokens, embed key (overrides the config's data_dir; default ./data)")
	fs.Float64Var(&o.simSpeed, "sim-speed", 1, "demo only: simulated seconds per real second")
	fs.Int64Var(&o.simSeed, "sim-seed", 1, "demo only: simulator seed (same seed, same contact center)")
	fs.StringVar(&o.simFloor, "sim-floor", simulator.FloorSmall, "demo only: simulated floor, small (11 skills, 70 agents) or large (25 skills, 150 agents)")
	fs.DurationVar(&o.simInterval, "sim-interval", 0, "demo only: poll the simulator this often, e.g. 1h for a floor that stands still after the first poll (default: Comm100 10s, LivePerson 15s)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if !simulator.ValidFloor(o.simFloor) {
		return o, fmt.Errorf("--sim-floor: must be small or large (got %q)", o.simFloor)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (subcommands: version, check-config, hash-password, token, embed-url)", fs.Arg(0))
	}
	if o.simInterval != 0 && o.simInterval < time.Second {
		return o, fmt.Errorf("--sim-interval: must be at least 1s (got %v)", o.simInterval)
	}
	if o.simSpeed <= 0 || o.simSpeed > 3600 {
		return o, fmt.Errorf("--sim-speed: must be between 0 and 3600 (got %v)", o.simSpeed)
	}
	return o, nil
}

// serve runs the server until ctx is done. ready, if set, is called with the bound
// address once the server accepts connections (tests listen on :0).
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(addr string)) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cfg := &Config{}
	if o.config != "" {
		if cfg, err = LoadConfig(o.config, getenv); err != nil {
			return err
		}
	} else if err := cfg.Validate(); err != nil {
		return err
	}
	if o.addr != "" {
		cfg.Listen = o.addr
	}
	if o.dataDir != "" {
		cfg.DataDir = o.dataDir
	}
	log, level := newLogger(stderr, cfg.LogLevel)
	if o.config != "" {
		warnConfigPerms(o.config, log)
	}
	logFileLimit(log, cfg.HTTP.serverLimits())
	// Bind before the slow start-up (stores, password hashes, the first renders): on a
	// restart every wall redials at once, and a dial that finds the port bound waits
	// in the accept queue until Serve runs, where one refused would double that
	// page's back-off.
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close() // Serve closes it on Shutdown; this is for a start-up that fails

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := poller.NewMetrics(reg)
	store := snapshot.NewStore()

	var sources []poller.SourceConfig
	isDemo := len(cfg.Sources) == 0
	if isDemo {
		demo, err := startDemo(ctx, o, log)
		if err != nil {
			return err
		}
		sources = demo.sources
		fmt.Fprintf(stdout, "demo: simulated contact center at %s (speed x%v, seed %d)\n", demo.url, o.simSpeed, o.simSeed)
	} else if sources, err = buildSources(cfg.Sources); err != nil {
		return err
	}

	staleAfter := staleAfterFor(sources)
	var staleNow atomic.Int64 // staleAfter as reloads change it, for edited boards
	staleNow.Store(int64(staleAfter))
	boards, err := buildBoards(cfg.Boards, staleAfter)
	if err != nil {
		return err
	}
	if err := readLogos(boards, cfg.DataDir); err != nil {
		return err
	}
	var demoAdmin *auth.User
	if isDemo && len(cfg.Users) == 0 {
		if demoAdmin, err = newDemoAdmin(stdout); err != nil {
			return err
		}
	}
	access, err := buildAuth(cfg, demoAdmin, log)
	if err != nil {
		return err
	}
	defer access.Close()
	var leader atomic.Pointer[cluster.Node] // set below on replicas: only the leader writes history and alerts
	var leads func() bool
	if access.redis != nil {
		leads = func() bool { n := leader.Load(); return n != nil && n.Leading() }
	}
	hist, stopHistory, err := startHistory(ctx, cfg, store, access.redis, leads, log)
	if err != nil {
		return err
	}
	defer stopHistory()
	alerting, err := buildAlerts(ctx, cfg, access.db, access.redis, leads, log)
	if err != nil {
		return err
	}
	apiTokens, err := access.apiTokenStore()
	if err != nil {
		return err
	}
	scr, watchScreens, err := buildScreens(cfg, access.db, access.redis)
	if err != nil {
		return err
	}
	var srv *server.Server // the feed checks posts against the boards served at the time
	notices, watchNotices, err := buildAnnouncements(ctx, cfg, access.db, access.redis, log, func() []views.Board { return srv.Boards() })
	if err != nil {
		return err
	}
	stateSince, err := bolt.NewStateSinceStore(access.db) // Comm100 times in state, kept across restarts
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	var pl *poller.Poller // a single replica's; replicas make one per term as leader (tp)
	var tp *termPollers
	var updater sourceUpdater
	if access.redis == nil {
		pl = poller.New(store, sources, log, metrics).WithStateSince(stateSince)
		updater = pl
	} else {
		tp = &termPollers{sources: sources, log: log, newPoller: func(out *snapshot.Store, srcs []poller.SourceConfig) *poller.Poller {
			// Shared, so the next leader carries the times in state on.
			return poller.New(out, srcs, log, metrics).WithStateSince(redisstore.NewStateSinceStore(access.redis, access.prefix))
		}}
		updater = tp
	}
	edit, watchBoards, err := editedBoards(cfg, access.db, access.redis, func() time.Duration { return time.Duration(staleNow.Load()) })
	if err != nil {
		return err
	}
	rl := &reloader{path: o.config, getenv: getenv, flags: o, log: log, level: level, poller: updater, alerts: alerting.engine,
		demoAdmin: demoAdmin, dataDir: cfg.DataDir, cur: cfg, staleAfter: &staleNow}
	var node *cluster.Node // set below on replicas; revokes reach the others through it
	// On replicas only the leader fetches drill-down lists (leads: "this replica holds the lease").
	drill, stopDrill := startConversations(ctx, sources, conversationsFleet(access.redis, access.prefix, leads), log)
	defer stopDrill()
	srvOpts := server.Options{Build: buildInfo(), Store: store, Log: log, Registry: reg, Boards: boards, Auth: access.opts, StaleAfter: staleAfter,
		History: hist, APITokens: apiTokens, Limits: cfg.HTTP.serverLimits(), MetricsToken: cfg.MetricsToken, Alerts: alerting.engine,
		ConfigFile: o.config, Announce: notices, Screens: scr, Conversations: drill, Editing: edit}
	if tp != nil {
		srvOpts.KickElsewhere = func(ctx context.Context, key, reason string) error { return node.Kick(ctx, key, reason) }
	}
	if o.config != "" {
		srvOpts.Reload = rl.reload
	}
	srv = server.New(srvOpts)
	rl.srv, rl.convs = srv, drill
	if err := loadEditedBoards(ctx, srv, boards); err != nil {
		return err
	}
	httpSrv := srv.HTTPServer(slog.NewLogLogger(log.Handler(), slog.LevelWarn))

	pollCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	polled := make(chan error, 1)
	if tp != nil {
		if node, err = startCluster(cfg, access.redis, store, tp, func(key, reason string) { srv.Kick(key, reason) }, reg, log); err != nil {
			return err
		}
		leader.Store(node)
		go func() { node.Run(pollCtx); polled <- nil }()
	} else {
		go func() { polled <- pl.Run(pollCtx) }()
	}
	go srv.Run(pollCtx)
	go notices.Run(pollCtx) // expires announcements at their time
	followReplicas(pollCtx, log, follower{"announcements", watchNotices, notices.Reload},
		follower{"screens", watchScreens, srv.ReloadScreens}, follower{"edited boards", watchBoards, srv.ReloadBoards})
	go access.run(pollCtx)
	alertsDone := make(chan struct{})
	go func() {
		defer close(alertsDone)
		alerting.run(pollCtx)
	}()
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(srv.Listener(ln)) }()

	base, hint := printedBase(cfg.PublicURL, ln.Addr(), thisHost)
	log.Info("listening", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "ccdash is up: %s/  (sign in at %s/login; devices at %s/admin/devices)\n", base, base, base)
	if hint != "" {
		fmt.Fprintf(stdout, "ccdash: %s\n", hint)
	}
	if isDemo {
		// A newcomer's one step to a live wall: a device link made once and reused.
		wall, err := demoWallURL(ctx, access.devices, cfg.DataDir, base, boards[0].ID)
		if err != nil {
			log.Warn("demo wall link", "err", err)
		} else {
			fmt.Fprintf(stdout, "demo: wall board (open once, bookmark it): %s\n", wall)
		}
	}
	// SIGHUP is caught before anyone is told the server is up: uncaught, it would end
	// the process.
	hup, stopHangups := hangups()
	defer stopHangups()
	if ready != nil {
		ready(ln.Addr().String())
	}
wait:
	for {
		select {
		case <-ctx.Done():
			break wait
		case <-hup:
			if o.config == "" {
				logDemoHangup(log)
				continue
			}
			srv.Reload(ctx)
		case err := <-served:
			return fmt.Errorf("http server: %w", err)
		}
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Stop accepting before the sockets hear 1012: pages redial within a second, and a
	// process on its way out would answer each with 503 while it closes the rest — a
	// failed handshake that doubles the page's back-off. Refused, they wait for the
	// new process the same way, and the old one spends its last seconds closing.
	err = httpSrv.Shutdown(shutdownCtx)
	// WebSockets are hijacked: Shutdown does not close them, the server does (1012).
	// A page needs the close frame, not the end of the handshake: waiting for every
	// reply keeps the port from the next process for seconds under load, and each of
	// those seconds is another refused redial doubling every page's back-off.
	closing, cancelClosing := context.WithTimeout(context.Background(), socketCloseGrace)
	defer cancelClosing()
	if serr := srv.Shutdown(closing); serr != nil {
		log.Info("sockets still closing at exit", "err", serr)
	}
	stopPolling()
	<-alertsDone
	if perr := <-polled; perr != nil && !errors.Is(perr, context.Canceled) {
		log.Warn("poller stopped", "err", perr)
	}
	return err
}

// socketCloseGrace is how long a shutdown waits for the sockets' close handshakes
// after sending them 1012. Writing the frames takes milliseconds; the rest is
// the peers' replies, which no page needs (1012 or a cut connection, the page's
// ws extension reconnects the same way).
const socketCloseGrace = 2 * time.Second

// logFileLimit raises the open-file soft limit to the hard limit and logs both: each
// connection holds a descriptor, and running out stops accept for everyone.
func logFileLimit(log *slog.Logger, lim server.Limits) {
	was, soft, hard, err := raiseOpenFileLimit()
	if err != nil {
		log.Warn("open-file limit not raised", "err", err, "soft", soft, "hard", hard)
		return
	}
	log.Info("open-file limit", "soft", soft, "hard", hard, "was", was)
	// Room for the connections plus the process's own files (stores, logs, vendors).
	if maxConns := lim.WithDefaults().MaxConns; soft < uint64(maxConns)+256 {
		log.Warn("open-file limit is close to http.max_conns: lower max_conns or raise the hard limit (LimitNOFILE)", "soft", soft, "max_conns", maxConns)
	}
}

// newLogger logs text to w at level; the returned LevelVar lets a reload change the
// level in place.
func newLogger(w io.Writer, level string) (*slog.Logger, *slog.LevelVar) {
	lv := &slog.LevelVar{}
	lv.Set(logLevel(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lv})), lv
}

// logLevel maps log_level (validated by the config) to a slog level; "" is info.
func logLevel(level string) slog.Level {
	switch strings.ToLower(level) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// staleAfterFor is when data counts as stale: three missed polls of the slowest
// source, and never under 45s. A fixed 45s would flag a source polled every minute
// as stale (and fail /readyz) for part of every minute.
func staleAfterFor(sources []poller.SourceConfig) time.Duration {
	d := 45 * time.Second
	for _, s := range sources {
		if iv := 3 * s.Interval; iv > d {
			d = iv
		}
	}
	return d
}
