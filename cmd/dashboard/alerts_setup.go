package main

import (
	"context"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/views"
)

// alerting is the alert engine and its webhook dispatcher (nil when no board has
// alerts).
type alerting struct {
	engine   *alerts.Engine
	webhooks *alerts.Dispatcher
}

// buildAlerts makes the alert engine of the boards with alert rules, its state in the
// state file (so alerts, acknowledgements and the log survive restarts), and the
// dispatcher of their webhooks. On replicas (rc set) the state is the fleet's in
// Redis and leads says whether this replica holds the lease: only the leader
// evaluates, writes and calls the webhooks; the others show what it wrote.
func buildAlerts(ctx context.Context, cfg *Config, db *bolt.DB, rc *redis.Client, leads func() bool, log *slog.Logger) (alerting, error) {
	boards, err := buildAlertBoards(cfg.Boards)
	if err != nil || len(boards) == 0 {
		return alerting{}, err
	}
	hooks, err := buildWebhooks(cfg.Boards)
	if err != nil {
		return alerting{}, err
	}
	st, shared, err := openAlertStore(cfg, db, rc)
	if err != nil {
		return alerting{}, err
	}
	opts := alerts.Options{Boards: boards, Store: st, Log: log, Shared: shared}
	if rc != nil {
		opts.Leads = leads
	}
	a := alerting{webhooks: alerts.NewDispatcher(hooks, alerts.WebhookOptions{Log: log})}
	opts.OnEvents = a.webhooks.Enqueue
	a.engine, err = alerts.New(ctx, opts)
	return a, err
}

// run keeps state written and webhooks delivered until ctx ends, then writes what is
// left (before the state file closes).
func (a alerting) run(ctx context.Context) {
	if a.engine == nil {
		return
	}
	go a.webhooks.Run(ctx)
	a.engine.Run(ctx)
}

// buildAnnouncements makes the announcement feed, kept in the state file (or Redis on
// replicas: rc set) so posted announcements survive restarts; boards are the boards
// served at the time of a post. watch, set on replicas, keeps the feed following the
// posts of the others.
func buildAnnouncements(ctx context.Context, cfg *Config, db *bolt.DB, rc *redis.Client, log *slog.Logger, boards func() []views.Board) (*announce.Feed, watchFunc, error) {
	st, watch, err := openAnnouncementStore(cfg, db, rc)
	if err != nil {
		return nil, nil, err
	}
	ids := func() []string {
		var out []string
		for _, b := range boards() {
			out = append(out, b.ID)
		}
		return out
	}
	feed, err := announce.New(ctx, announce.Options{Store: st, Boards: ids, Log: log})
	return feed, watch, err
}
