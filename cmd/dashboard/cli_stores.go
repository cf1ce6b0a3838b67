package main

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/screens"
)

// cliStores are the stores the `token` and `api-token` subcommands read and change,
// picked as the server picks them: data_dir for one replica, the fleet's Redis when
// redis_url is set, so a device or API token made on the command line works on every
// replica (and the command works while the replicas run).
type cliStores struct {
	db        *bolt.DB      // one replica
	rc        *redis.Client // replicas
	devices   auth.DeviceStore
	apiTokens auth.APITokenStore
	playlists screens.Store
}

func openCLIStores(cfg *Config) (*cliStores, error) {
	if cfg.RedisURL != "" {
		rc, err := cluster.NewClient(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("config: redis_url: %w", err)
		}
		p := clusterPrefix(cfg)
		return &cliStores{rc: rc, devices: redisstore.NewDeviceStore(rc, p), apiTokens: redisstore.NewAPITokenStore(rc, p),
			playlists: redisstore.NewPlaylists(rc, p)}, nil
	}
	db, devices, err := openDevices(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	s := &cliStores{db: db, devices: devices}
	if s.apiTokens, err = bolt.NewAPITokenStore(db); err != nil {
		s.Close()
		return nil, fmt.Errorf("API tokens: %w", err)
	}
	if s.playlists, err = bolt.NewPlaylistStore(db); err != nil {
		s.Close()
		return nil, fmt.Errorf("playlists: %w", err)
	}
	return s, nil
}

func (s *cliStores) Close() {
	if s.db != nil {
		_ = s.db.Close()
	}
	if s.rc != nil {
		_ = s.rc.Close()
	}
}
