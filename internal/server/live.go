package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// variantGrace keeps a variant rendered for a while after its last subscriber left
// or after a page asked for it, so the WebSocket that follows a page load (or a quick
// reconnect) finds its topic current instead of empty.
const variantGrace = time.Minute

// live is the loop between the snapshot store and the hub: on each new snapshot it
// renders every board variant in use once, diffs against what was last sent, and
// publishes only the changed tiles. Renders per snapshot = variants in use, never
// clients: the hub fans the same bytes out to every subscriber.
type live struct {
	store *snapshot.Store
	hub   *hub.Hub
	log   *slog.Logger
	now   func() time.Time

	mu       sync.Mutex
	variants map[string]*liveVariant

	renders atomic.Int64 // tile-set renders, for tests and metrics
}

type liveVariant struct {
	v       views.Variant
	last    views.Tileset
	version uint64    // snapshot version last rendered; 0 = none
	touched time.Time // last ensure or last seen with subscribers
}

func newLive(store *snapshot.Store, h *hub.Hub, log *slog.Logger, now func() time.Time) *live {
	return &live{store: store, hub: h, log: log, now: now, variants: map[string]*liveVariant{}}
}

// ensure makes variant v current in the hub (rendering it if the loop does not track
// it yet) and returns its topic. It validates the variant too: an unknown drill-down
// skill returns the views error (wrapping views.ErrNotFound).
func (l *live) ensure(ctx context.Context, v views.Variant) (string, error) {
	topic := v.Key()
	l.mu.Lock()
	defer l.mu.Unlock()
	if lv, ok := l.variants[topic]; ok {
		lv.touched = l.now()
		return topic, nil
	}
	snap := l.store.Load()
	ts, err := views.RenderTiles(ctx, v, snap)
	if err != nil {
		return "", err
	}
	l.renders.Add(1)
	l.variants[topic] = &liveVariant{v: v, last: ts, version: versionOf(snap), touched: l.now()}
	l.hub.Publish(topic, nil, views.Message(ts.Full(), l.now()))
	return topic, nil
}

// run re-renders on every published snapshot until ctx is done.
func (l *live) run(ctx context.Context) {
	for {
		changed := l.store.Changed()
		l.update(ctx, l.store.Load())
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// update renders each variant in use for snap and publishes its diff.
func (l *live) update(ctx context.Context, snap *snapshot.Snapshot) {
	if snap == nil {
		return
	}
	inUse := map[string]bool{}
	for _, t := range l.hub.Topics() {
		inUse[t] = true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for topic, lv := range l.variants {
		if inUse[topic] {
			lv.touched = now
		} else if now.Sub(lv.touched) > variantGrace {
			// Nobody watches: stop rendering it. DropTopic refuses if a subscriber
			// arrived meanwhile, and then we keep rendering.
			if l.hub.DropTopic(topic) {
				delete(l.variants, topic)
				continue
			}
		}
		if lv.version == snap.Version {
			continue
		}
		next, err := views.RenderTiles(ctx, lv.v, snap)
		if err != nil {
			// A drill-down skill that vanished from the snapshot: keep the last
			// tiles (marked stale by their sources) rather than blanking the page.
			l.log.Warn("render failed", "variant", topic, "err", err)
			continue
		}
		l.renders.Add(1)
		diff := views.Diff(lv.last, next)
		lv.last, lv.version = next, snap.Version
		if len(diff) == 0 {
			continue
		}
		l.hub.Publish(topic, views.Message(diff, now), views.Message(next.Full(), now))
	}
}

// clockHello is appended to a socket's first message so the page's clock is corrected
// by the server time of the moment it connected, not of the last render.
func clockHello(now func() time.Time) func() []byte {
	return func() []byte { return views.Message(nil, now()) }
}

func versionOf(s *snapshot.Snapshot) uint64 {
	if s == nil {
		return 0
	}
	return s.Version
}
