package main

import (
	"context"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/redisstore"
)

// conversationsFleet is how the drill-downs share their lists between replicas: nil on
// a single replica (rc nil); on replicas only the lease holder (leading) calls the
// vendor, for every replica's viewers, and publishes the lists in Redis.
func conversationsFleet(rc *redis.Client, prefix string, leading func() bool) convs.Fleet {
	if rc == nil {
		return nil
	}
	return redisstore.NewConvsFleet(rc, prefix, leading)
}

// startConversations builds the drill-downs' conversations manager over every source
// that can list conversations (LivePerson); its loops run until ctx ends, and stop
// waits for them. fleet is nil on a single replica.
func startConversations(ctx context.Context, sources []poller.SourceConfig, fleet convs.Fleet, log *slog.Logger) (m *convs.Manager, stop func()) {
	var cancel context.CancelFunc
	fetchers := map[string]convs.Fetcher{}
	for _, sc := range sources {
		if f, ok := sc.Source.(convs.Fetcher); ok {
			fetchers[sc.Source.ID()] = f
		}
	}
	ctx, cancel = context.WithCancel(ctx)
	m = convs.New(ctx, fetchers, convs.Options{Log: log, Fleet: fleet})
	return m, func() { cancel(); m.Wait() }
}

// updateConversations hands a reload's restarted and removed sources to the
// drill-downs, so a restarted source's lists are fetched through its new client (and
// budget), a new one's are offered, and a removed one's stop.
func (rl *reloader) updateConversations(restart []poller.SourceConfig, remove []string) {
	if rl.convs == nil {
		return
	}
	for _, sc := range restart {
		f, _ := sc.Source.(convs.Fetcher)
		rl.convs.SetFetcher(sc.Source.ID(), f)
	}
	for _, id := range remove {
		rl.convs.SetFetcher(id, nil)
	}
}
