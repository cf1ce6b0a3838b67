package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// ClusterConfig tunes replicas sharing one poller through redis_url (README "Running
// replicas"). Without redis_url it is ignored: a single replica polls by itself.
type ClusterConfig struct {
	// Name separates fleets sharing one Redis (keys ccdash:{name}:…). Empty means
	// "default".
	Name string `yaml:"name"`
	// LeaseTTL is how long the poller lease lasts unrenewed: a dead leader is replaced
	// within it. Zero means 10s.
	LeaseTTL Duration `yaml:"lease_ttl"`
	// Heartbeat is how often the leader says it is alive; a follower hearing nothing for
	// three resubscribes. Zero means 1s.
	Heartbeat Duration `yaml:"heartbeat"`
}

var clusterName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

func (c *Config) validateCluster() error {
	var errs []error
	if c.RedisURL != "" {
		if _, _, err := cluster.ParseURL(c.RedisURL); err != nil {
			errs = append(errs, field.Errorf("redis_url", "%v", err))
		}
	}
	k := c.Cluster
	if k.Name != "" && !clusterName.MatchString(k.Name) {
		errs = append(errs, field.Errorf("cluster.name", "use 1-40 of a-z, 0-9, - and _ (got %q)", k.Name))
	}
	ttl := k.LeaseTTL.D()
	if ttl != 0 && (ttl < time.Second || ttl > 5*time.Minute) {
		errs = append(errs, field.Errorf("cluster.lease_ttl", "must be between 1s and 5m (got %v)", ttl))
	}
	if ttl == 0 {
		ttl = cluster.DefaultTTL
	}
	if hb := k.Heartbeat.D(); hb != 0 && (hb < 50*time.Millisecond || hb > ttl) {
		errs = append(errs, field.Errorf("cluster.heartbeat", "must be between 50ms and cluster.lease_ttl (got %v)", hb))
	}
	return errors.Join(errs...)
}

// startCluster makes this replica one of the fleet sharing rc: its poller runs only
// while it holds the lease, and every vendor request checks that it still does.
func startCluster(cfg *Config, rc *redis.Client, store *snapshot.Store, tp *termPollers,
	kick func(key, reason string), reg prometheus.Registerer, log *slog.Logger) (*cluster.Node, error) {
	node, err := cluster.New(cluster.Options{
		Client: rc, Name: cfg.Cluster.Name, TTL: cfg.Cluster.LeaseTTL.D(), Heartbeat: cfg.Cluster.Heartbeat.D(),
		Store: store, Kick: kick, Log: log, Metrics: cluster.NewMetrics(reg), Lead: tp.run,
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	tp.guard = func(s poller.SourceConfig) {
		if s.Client != nil && s.Client.HTTP != nil {
			s.Client.HTTP.Transport = cluster.GuardTransport(s.Client.HTTP.Transport, node.Leading)
		}
	}
	for _, s := range tp.sources {
		tp.guard(s)
	}
	log.Info("replica of a cluster: polling only while holding the lease", "redis", cluster.Describe(cfg.RedisURL),
		"name", cfg.Cluster.Name, "lease_ttl", cfg.Cluster.LeaseTTL.D())
	return node, nil
}

// termPollers makes one poller per term this replica leads, from the current sources,
// and hands a reload's source changes to the running one.
type termPollers struct {
	newPoller func(out *snapshot.Store, sources []poller.SourceConfig) *poller.Poller
	guard     func(poller.SourceConfig) // fences a source's vendor requests on the lease
	log       *slog.Logger

	mu      sync.Mutex
	sources []poller.SourceConfig
	cur     *poller.Poller // nil unless leading
}

// run polls into out for one term, carrying on from the snapshot out holds.
func (tp *termPollers) run(ctx context.Context, out *snapshot.Store) error {
	tp.mu.Lock()
	p := tp.newPoller(out, slices.Clone(tp.sources)).WithSeed(out.Load())
	tp.cur = p
	tp.mu.Unlock()
	defer func() {
		tp.mu.Lock()
		tp.cur = nil
		tp.mu.Unlock()
	}()
	return p.Run(ctx)
}

// Update is poller.Update for every later term, and for the running one if leading.
func (tp *termPollers) Update(restart []poller.SourceConfig, remove []string) error {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	for _, s := range restart {
		tp.guard(s)
	}
	if tp.cur != nil {
		if err := tp.cur.Update(restart, remove); err != nil {
			// A term just starting: the change reaches the next term's poller.
			tp.log.Warn("sources reloaded for the next term only", "err", err)
		}
	}
	gone := slices.Clone(remove)
	for _, s := range restart {
		gone = append(gone, s.Source.ID())
	}
	tp.sources = slices.DeleteFunc(tp.sources, func(s poller.SourceConfig) bool { return slices.Contains(gone, s.Source.ID()) })
	tp.sources = append(tp.sources, restart...)
	return nil
}
