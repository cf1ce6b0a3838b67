package main

import (
	"context"
	"log/slog"

	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/poller"
)

// startConversations builds the drill-downs' conversations manager over every source
// that can list conversations (LivePerson); its loops run until ctx ends, and stop
// waits for them.
func startConversations(ctx context.Context, sources []poller.SourceConfig, log *slog.Logger) (m *convs.Manager, stop func()) {
	fetchers := map[string]convs.Fetcher{}
	for _, sc := range sources {
		if f, ok := sc.Source.(convs.Fetcher); ok {
			fetchers[sc.Source.ID()] = f
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	m = convs.New(ctx, fetchers, convs.Options{Log: log})
	return m, func() { cancel(); m.Wait() }
}
