package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/server"
	"github.com/ccdash/ccdash/internal/views"
)

// hangups delivers SIGHUP (systemctl reload) instead of letting it end the process.
func hangups() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}

// appliedKeys are the top-level keys a reload applies in place. Every other key
// (listen, data_dir, redis_url, http, history, sessions…) needs a restart: a reload
// says so and keeps its running value.
var appliedKeys = []string{"sources", "boards", "users", "playlists", "log_level"}

// reloader applies a re-read config file to the running server: boards and their
// thresholds (Server.SetBoards), users (Server.SetUsers), alert rules
// (alerts.Engine.SetBoards) and sources (poller.Update, changed sources only). It is
// the server's Options.Reload, so SIGHUP and the admin page's button take one path
// (Server.Reload, one reload at a time).
type reloader struct {
	path      string
	getenv    func(string) string
	flags     options
	log       *slog.Logger
	level     *slog.LevelVar // log_level; nil in tests that only plan
	srv       *server.Server
	poller    sourceUpdater
	alerts    *alerts.Engine // nil: alerting was off at start-up
	convs     *convs.Manager // the drill-downs' conversations; nil in tests that only plan
	demoAdmin *auth.User     // the demo's generated admin, kept while the file has no users
	dataDir   string
	// staleAfter is the stale threshold edited boards default to; a reload sets it.
	staleAfter *atomic.Int64

	cur *Config // what runs now (restart-only keys at their start-up values)
}

// sourceUpdater takes a reload's source changes: the poller, or on replicas the
// pollers of this replica's terms as leader (termPollers).
type sourceUpdater interface {
	Update(restart []poller.SourceConfig, remove []string) error
}

// plan is a re-read config, built and checked, ready to apply.
type plan struct {
	next        *Config
	boards      []views.Board
	staleAfter  time.Duration
	users       []auth.User
	alertBoards []alerts.Board
	playlists   []screens.Playlist
	restart     []poller.SourceConfig // changed or new sources
	restartIDs  []string
	remove      []string
	keptSources int
	needRestart []string
}

// reload re-reads the file and applies it, or refuses it whole.
func (rl *reloader) reload(ctx context.Context) server.ReloadResult {
	p, err := rl.prepare()
	if err != nil {
		res := server.ReloadResult{Refused: true, Problems: problemLines(err)}
		rl.log.Error("reload refused: the new config is invalid; the running one stays",
			"file", rl.path, "problems", strings.Join(res.Problems, "; "))
		return res
	}
	res := server.ReloadResult{Restart: p.needRestart}
	if res.Applied, err = rl.apply(ctx, p); err != nil {
		// Everything was validated first, so this is a bug, not a bad file.
		res.Problems = problemLines(err)
		rl.log.Error("reload: applying the new config failed", "file", rl.path, "err", err)
	}
	rl.cur = p.next
	rl.log.Info("reload applied", "file", rl.path, "applied", strings.Join(res.Applied, "; "))
	if len(p.needRestart) > 0 {
		rl.log.Warn("reload: these changes need a restart (systemctl restart ccdash); the running values stay",
			"keys", strings.Join(p.needRestart, ", "))
	}
	return res
}

// problemLines is a config error as the admin page lists it: one line per problem.
func problemLines(err error) []string {
	return strings.Split(err.Error(), "\n")
}

// prepare reads, validates and builds everything the new file describes, applying
// nothing.
func (rl *reloader) prepare() (*plan, error) {
	next, err := LoadConfig(rl.path, rl.getenv)
	if err != nil {
		return nil, err
	}
	// The command line still wins, as at start-up.
	if rl.flags.addr != "" {
		next.Listen = rl.flags.addr
	}
	if rl.flags.dataDir != "" {
		next.DataDir = rl.flags.dataDir
	}
	p := &plan{next: next, needRestart: restartOnly(rl.cur, next)}
	if err := rl.planSources(p); err != nil {
		return nil, err
	}
	p.staleAfter = staleAfterFor(rl.pollerSources(next))
	if p.boards, err = buildBoards(next.Boards, p.staleAfter); err != nil {
		return nil, err
	}
	if err := readLogos(p.boards, rl.dataDir); err != nil {
		return nil, err
	}
	p.users = authUsers(next.Users)
	if rl.demoAdmin != nil && len(next.Users) == 0 {
		p.users = append(p.users, *rl.demoAdmin)
	}
	if p.alertBoards, err = buildAlertBoards(next.Boards); err != nil {
		return nil, configError(err, nil)
	}
	if p.playlists, err = buildPlaylists(next.Playlists, next.boardIDs()); err != nil {
		return nil, configError(err, nil)
	}
	rl.planAlerts(p)
	return p, nil
}

// planSources lists the sources to restart (changed or new) and to remove; the
// others keep polling with their state and budget. Switching between the demo and
// real sources needs a restart.
func (rl *reloader) planSources(p *plan) error {
	cur, next := rl.cur.Sources, p.next.Sources
	if (len(cur) == 0) != (len(next) == 0) {
		p.needRestart = append(p.needRestart, "sources (switching between the built-in demo and real sources)")
		p.next.Sources = cur
		return nil
	}
	var changed []SourceConfig
	for _, sc := range next {
		i := slices.IndexFunc(cur, func(c SourceConfig) bool { return c.ID == sc.ID })
		if i >= 0 && reflect.DeepEqual(cur[i], sc) {
			p.keptSources++
			continue
		}
		changed = append(changed, sc)
		p.restartIDs = append(p.restartIDs, sc.ID)
	}
	for _, c := range cur {
		if !slices.ContainsFunc(next, func(sc SourceConfig) bool { return sc.ID == c.ID }) {
			p.remove = append(p.remove, c.ID)
		}
	}
	var err error
	p.restart, err = buildSources(changed)
	return err
}

// pollerSources is what the stale threshold is computed from: the sources' intervals.
func (rl *reloader) pollerSources(c *Config) []poller.SourceConfig {
	out := make([]poller.SourceConfig, 0, len(c.Sources))
	for _, sc := range c.Sources {
		out = append(out, poller.SourceConfig{Interval: sc.Interval.D()})
	}
	return out
}

// planAlerts notes the alert changes a reload cannot apply: alerting switched on
// (the engine is made at start-up only) and webhooks (their dispatcher likewise).
func (rl *reloader) planAlerts(p *plan) {
	if rl.alerts == nil && len(p.alertBoards) > 0 {
		p.needRestart = append(p.needRestart, "boards[].alerts (no board had alert rules at start-up)")
	}
	was, _ := buildWebhooks(rl.cur.Boards)
	now, _ := buildWebhooks(p.next.Boards)
	if !reflect.DeepEqual(was, now) {
		p.needRestart = append(p.needRestart, "boards[].alerts.webhooks")
	}
}

// apply hands the plan to the running parts, boards last: their re-render then
// also shows the new alert rules and scopes.
func (rl *reloader) apply(ctx context.Context, p *plan) ([]string, error) {
	var done []string
	if rl.level != nil {
		lvl := logLevel(p.next.LogLevel)
		rl.level.Set(lvl)
		done = append(done, "log_level: "+strings.ToLower(lvl.String()))
	}
	if len(p.restart) > 0 || len(p.remove) > 0 {
		if err := rl.poller.Update(p.restart, p.remove); err != nil {
			return done, fmt.Errorf("sources: %w", err)
		}
		rl.updateConversations(p.restart, p.remove)
	}
	done = append(done, sourcesLine(p))
	if err := rl.srv.SetUsers(p.users); err != nil {
		return done, fmt.Errorf("users: %w", err)
	}
	done = append(done, fmt.Sprintf("users: %d", len(p.next.Users)))
	if rl.alerts != nil {
		if err := rl.alerts.SetBoards(p.alertBoards); err != nil {
			return done, fmt.Errorf("alert rules: %w", err)
		}
		done = append(done, fmt.Sprintf("alert rules: %d boards with rules (unchanged rules keep their alerts)", len(p.alertBoards)))
	}
	if rl.staleAfter != nil {
		rl.staleAfter.Store(int64(p.staleAfter))
	}
	// The config's boards, then the edited ones: the one composition start-up and
	// the board editor use too.
	if err := rl.srv.ApplyBoards(ctx, p.boards); err != nil {
		return done, fmt.Errorf("boards: %w", err)
	}
	done = append(done, fmt.Sprintf("boards: %d from the file and %d edited, thresholds included (open screens re-rendered)",
		len(p.boards), len(rl.srv.Boards())-len(p.boards)))
	rl.srv.SetPlaylists(p.playlists)
	done = append(done, fmt.Sprintf("playlists: %d (their screens take the new turns at once)", len(p.playlists)))
	return done, nil
}

func sourcesLine(p *plan) string {
	if len(p.restartIDs) == 0 && len(p.remove) == 0 {
		return fmt.Sprintf("sources: unchanged (%d keep polling)", p.keptSources)
	}
	parts := []string{}
	if len(p.restartIDs) > 0 {
		parts = append(parts, "restarted "+strings.Join(p.restartIDs, ", "))
	}
	if len(p.remove) > 0 {
		parts = append(parts, "removed "+strings.Join(p.remove, ", "))
	}
	return fmt.Sprintf("sources: %s; %d unchanged keep polling", strings.Join(parts, "; "), p.keptSources)
}

// restartOnly names the top-level keys outside appliedKeys whose value changed and
// puts their running values back into next, so they stay what runs (and the next
// reload compares against them). Only key names are reported, never values.
func restartOnly(cur, next *Config) []string {
	var keys []string
	cv, nv := reflect.ValueOf(cur).Elem(), reflect.ValueOf(next).Elem()
	t := cv.Type()
	for i := range t.NumField() {
		key, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if slices.Contains(appliedKeys, key) {
			continue
		}
		if !reflect.DeepEqual(cv.Field(i).Interface(), nv.Field(i).Interface()) {
			keys = append(keys, key)
			nv.Field(i).Set(cv.Field(i))
		}
	}
	return keys
}

// logDemoHangup is SIGHUP without a config file: nothing to re-read.
func logDemoHangup(log *slog.Logger) {
	log.Warn("reload: no --config file to re-read; the demo keeps running")
}
