package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// startHistory opens the history store (data_dir/history.db, or Redis on replicas:
// rc set) and records every snapshot store publishes until ctx is done; stop waits
// for the last minute to be written and closes the store. writes, if not nil, says
// whether this replica writes now (it holds the lease): every replica records into
// memory, one writes the shared store.
func startHistory(ctx context.Context, cfg *Config, store *snapshot.Store, rc *redis.Client, writes func() bool, log *slog.Logger) (h *history.History, stop func(), err error) {
	st, err := openHistoryStore(cfg, rc, bolt.HistoryOptions{Log: log})
	if err != nil {
		return nil, nil, err
	}
	h = history.New(st, history.Config{Retention: time.Duration(cfg.History.Retention), Queue: cfg.History.Queue, Log: log, Writes: writes})
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
