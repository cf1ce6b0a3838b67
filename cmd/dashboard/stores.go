package main

import (
	"cmp"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/redisstore"
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
