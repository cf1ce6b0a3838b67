package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/announce"
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

// followReplicas keeps the announcement feed and the screens following the changes
// the other replicas make, until ctx is done (replicas only: the watches are nil
// otherwise).
func followReplicas(ctx context.Context, notices watchFunc, reloadNotices func(context.Context) error,
	screens watchFunc, reloadScreens func(context.Context) error, log *slog.Logger) {
	for _, w := range []struct {
		watch  watchFunc
		reload func(context.Context) error
		what   string
	}{{notices, reloadNotices, "announcements"}, {screens, reloadScreens, "screens"}} {
		if w.watch == nil {
			continue
		}
		go w.watch(ctx, func(ctx context.Context) {
			if err := w.reload(ctx); err != nil && ctx.Err() == nil {
				log.Warn(w.what+" not reloaded from redis", "err", err)
			}
		})
	}
}
