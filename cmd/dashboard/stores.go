package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/screens"
)

// The one place that picks each shared store's implementation: bbolt in data_dir for
// a single replica, Redis under the fleet's prefix (ccdash:{cluster.name}:) when
// redis_url is set, so every replica reads and writes the same (README "Running
// replicas" → "What lives in Redis").

// clusterPrefix is the key prefix of this replica's fleet.
func clusterPrefix(cfg *Config) string {
	return redisstore.Prefix(cmp.Or(cfg.Cluster.Name, cluster.DefaultName))
}

// openHistoryStore is data_dir/history.db, or the fleet's history in rc.
func openHistoryStore(cfg *Config, rc *redis.Client, opts bolt.HistoryOptions) (history.Store, error) {
	if rc != nil {
		return redisstore.NewHistory(rc, clusterPrefix(cfg)), nil
	}
	return bolt.OpenHistory(filepath.Join(cfg.DataDir, bolt.HistoryFile), opts)
}

// openAlertStore is the alert state and log in the state file, or the fleet's with
// the followers' acknowledgements (shared, nil for one replica).
func openAlertStore(cfg *Config, db *bolt.DB, rc *redis.Client) (alerts.Store, alerts.Shared, error) {
	if rc != nil {
		st := redisstore.NewAlerts(rc, clusterPrefix(cfg))
		return st, st, nil
	}
	st, err := bolt.NewAlerts(db)
	if err != nil {
		return nil, nil, fmt.Errorf("alerts: %w", err)
	}
	return st, nil, nil
}

// watchFunc calls reload after every change another replica makes to a store that a
// replica keeps in memory, until ctx is done; nil for the embedded stores.
type watchFunc func(ctx context.Context, reload func(context.Context))

// openAnnouncementStore is the announcements in the state file, or the fleet's.
func openAnnouncementStore(cfg *Config, db *bolt.DB, rc *redis.Client) (announce.Store, watchFunc, error) {
	if rc != nil {
		st := redisstore.NewAnnouncements(rc, clusterPrefix(cfg))
		return st, st.Watch, nil
	}
	st, err := bolt.NewAnnouncements(db)
	if err != nil {
		return nil, nil, fmt.Errorf("announcements: %w", err)
	}
	return st, nil, nil
}

// openPlaylistStore is the playlists made on /admin/screens in the state file, or
// the fleet's; notify tells the other replicas of a rebound screen (nil: one replica).
func openPlaylistStore(cfg *Config, db *bolt.DB, rc *redis.Client) (st screens.Store, watch watchFunc, notify func(context.Context) error, err error) {
	if rc != nil {
		st := redisstore.NewPlaylists(rc, clusterPrefix(cfg))
		return st, st.Watch, st.Notify, nil
	}
	bst, err := bolt.NewPlaylistStore(db)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("playlists: %w", err)
	}
	return bst, nil, nil, nil
}

// openBoardStore is the boards edited on /admin/boards and their audit log, in the
// state file or the fleet's.
func openBoardStore(cfg *Config, db *bolt.DB, rc *redis.Client) (boardstore.Store, boardstore.Audit, watchFunc, error) {
	if rc != nil {
		st := redisstore.NewBoards(rc, clusterPrefix(cfg))
		return st, st, st.Watch, nil
	}
	st, err := bolt.NewBoardStore(db)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("edited boards: %w", err)
	}
	return st, st, nil, nil
}

// follower is one in-memory copy of a shared store to keep current: watch (nil on a
// single replica) calls reload after every change another replica makes.
type follower struct {
	what   string
	watch  watchFunc
	reload func(context.Context) error
}

// followReplicas keeps every follower current until ctx is done.
func followReplicas(ctx context.Context, log *slog.Logger, fs ...follower) {
	for _, f := range fs {
		if f.watch == nil {
			continue
		}
		go f.watch(ctx, func(ctx context.Context) {
			if err := f.reload(ctx); err != nil && ctx.Err() == nil {
				log.Warn(f.what+" not reloaded from redis", "err", err)
			}
		})
	}
}
