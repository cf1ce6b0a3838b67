package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/bolt"
)

// buildAlerts makes the alert engine of the boards with alert rules, its state in the
// state file (so alerts, acknowledgements and the log survive restarts). Nil when no
// board has alerts.
func buildAlerts(ctx context.Context, cfg *Config, db *bolt.DB, log *slog.Logger, onEvents func([]alerts.Event)) (*alerts.Engine, error) {
	boards, err := buildAlertBoards(cfg.Boards)
	if err != nil {
		return nil, err
	}
	if len(boards) == 0 {
		return nil, nil
	}
	st, err := bolt.NewAlerts(db)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	return alerts.New(ctx, alerts.Options{Boards: boards, Store: st, Log: log, OnEvents: onEvents})
}
