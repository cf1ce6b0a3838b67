package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// startHistory opens data_dir/history.db and records every snapshot store publishes
// until ctx is done; stop waits for the last minute to be written and closes the file.
func startHistory(ctx context.Context, cfg *Config, store *snapshot.Store, log *slog.Logger) (h *history.History, stop func(), err error) {
	st, err := bolt.OpenHistory(filepath.Join(cfg.DataDir, bolt.HistoryFile), bolt.HistoryOptions{Log: log})
	if err != nil {
		return nil, nil, err
	}
	h = history.New(st, history.Config{Retention: time.Duration(cfg.History.Retention), Queue: cfg.History.Queue, Log: log})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go h.Watch(ctx, store)
	go func() { h.Run(ctx); close(done) }()
	return h, func() {
		cancel()
		<-done
		if err := st.Close(); err != nil {
			log.Warn("history close", "err", err)
		}
	}, nil
}
