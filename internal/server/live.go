package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// variantGrace keeps a variant rendered for a while after its last subscriber left
// or after a page asked for it, so the WebSocket that follows a page load (or a quick
// reconnect) finds its topic current instead of empty.
const variantGrace = time.Minute

// ensureTries bounds how often ensure renders a new variant again because a snapshot
// arrived during its render.
const ensureTries = 3

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

	// render is views.RenderTilesWith; tests slow it down to show nobody waits for it.
	render func(context.Context, views.Variant, *snapshot.Snapshot, *views.Trends) (views.Tileset, error)
	// trends feeds the sparklines, once per snapshot (nil: no history kept).
	trends *trendSource

	// alerts evaluates the rules once per snapshot (nil = no board has any); the
	// banners it feeds are tiles of their variants like any other.
	alerts    *alerts.Engine
	evaluated uint64 // snapshot version last evaluated; only run touches it
	// notices are the announcements (nil = none kept): the wall's bands and the
	// manager board's list are tiles of their variants too.
	notices *announce.Feed

	// rebind takes a variant to the current board set (Server.rebind); ok false
	// means its board is gone. Nil keeps variants as they are (tests).
	rebind func(views.Variant) (v views.Variant, gen uint64, ok bool)
	// gen is the board-set generation variants must be rendered from; boardsChanged
	// wakes the loop when it grows.
	gen           atomic.Uint64
	boardsChanged chan struct{}

	// convs holds the drill-downs' conversations lists (nil = none); a changed list
	// re-renders the variants showing it.
	convs *convs.Manager
}

type liveVariant struct {
	v       views.Variant
	last    views.Tileset
	version uint64    // snapshot version last rendered; 0 = none
	alertV  uint64    // alert engine + announcement feed version last rendered (sideVersion)
	convV   uint64    // conversations list version last rendered
	touched time.Time // last ensure or last seen with subscribers
	gen     uint64    // board-set generation v.Board came from
	shell   string    // views.ShellRev last sent
}

func newLive(store *snapshot.Store, h *hub.Hub, log *slog.Logger, now func() time.Time, al *alerts.Engine, tr *trendSource) *live {
	l := &live{store: store, hub: h, log: log, now: now, variants: map[string]*liveVariant{}, render: views.RenderTilesWith, alerts: al, trends: tr,
		boardsChanged: make(chan struct{}, 1)}
	l.gen.Store(1)
	return l
}

// reconfigure says the board set is now generation gen: every variant in use is
// re-rendered from its new board at once.
func (l *live) reconfigure(gen uint64) {
	l.gen.Store(gen)
	select {
	case l.boardsChanged <- struct{}{}:
	default: // the loop is woken already
	}
}

// shellOf is the page-layout revision of v's pages.
func (l *live) shellOf(v views.Variant) string {
	_, hasAlerts := alertState(l.alerts, v)
	return views.ShellRev(v, hasAlerts)
}

// message is a full state for the hub: tiles, the server clock and the page-layout
// revision. A diff carries the revision only when it changed (commit).
func message(tiles []views.Tile, shell string, now time.Time) []byte {
	return views.WithShell(views.Message(tiles, now), shell)
}

// renderVariant renders v's tiles from snap plus, on a board with alert rules, its
// alert banner, and the announcement tiles. The wall's layout leaves room for the
// banners (views.WallReserve). It returns the side version the banners show (read
// before them, so a change during the render is never mistaken for rendered) and, on
// a drill-down with a conversations list, the list version it shows.
func (l *live) renderVariant(ctx context.Context, v views.Variant, snap *snapshot.Snapshot) (views.Tileset, uint64, uint64, error) {
	av := l.sideVersion()
	st, hasAlerts := alertState(l.alerts, v)
	n, hasNotices := noticesOf(l.notices, v)
	var stp *views.AlertState
	if hasAlerts {
		stp = &st
	}
	v.Reserve = views.WallReserve(v, stp, n)
	ts, err := l.render(ctx, v, snap, l.trends.live(snap))
	if err != nil {
		return ts, av, 0, err
	}
	if hasAlerts {
		if err := ts.AddAlerts(ctx, v, st); err != nil {
			return ts, av, 0, err
		}
	}
	if hasNotices {
		if err := ts.AddNotices(ctx, v, n); err != nil {
			return ts, av, 0, err
		}
	}
	cv, err := l.addConversations(ctx, &ts, v, snap)
	return ts, av, cv, err
}

// noticesOf is what v's announcement tiles show; ok is false when none are kept.
// The manager board's list offers withdrawal to every viewer of the variant (a
// variant is shared by users of one scope, whatever their role); the server refuses
// viewers who try.
func noticesOf(f *announce.Feed, v views.Variant) (views.Notices, bool) {
	if f == nil || v.Audience == views.Embed {
		return views.Notices{}, false
	}
	return views.Notices{Items: f.Active(v.Board.ID), CanWithdraw: v.Audience == views.Manager}, true
}

// recentShown is how many log lines the manager board's banner lists.
const recentShown = 10

// alertState is what v's banner shows; ok is false when v's board has no alerting.
func alertState(e *alerts.Engine, v views.Variant) (views.AlertState, bool) {
	if e == nil {
		return views.AlertState{}, false
	}
	b, ok := e.Board(v.Board.ID)
	if !ok {
		return views.AlertState{}, false
	}
	st := views.AlertState{Alerts: e.Alerts(b.ID, v.Scope), Board: b}
	if v.Audience == views.Manager {
		st.Log = e.Recent(b.ID, v.Scope, recentShown)
	}
	return st, true
}

// evaluate runs the alert rules on snap, once per snapshot version.
func (l *live) evaluate(snap *snapshot.Snapshot) {
	if l.alerts == nil || snap == nil || snap.Version == l.evaluated {
		return
	}
	l.evaluated = snap.Version
	l.alerts.Evaluate(snap)
}

// sideVersion changes whenever what the banners show does: the alert engine's and
// the announcement feed's versions added (both only grow, so their sum does too).
func (l *live) sideVersion() uint64 {
	var v uint64
	if l.alerts != nil {
		v += l.alerts.Version()
	}
	if l.notices != nil {
		v += l.notices.Version()
	}
	return v
}

// ensure makes variant v, whose board comes from board-set generation gen, current in
// the hub (rendering it if the loop does not track it yet) and returns its topic. It validates the variant too: an unknown drill-down
// skill returns the views error (wrapping views.ErrNotFound). It renders without the
// lock, so a page load never waits for the renders of other variants.
func (l *live) ensure(ctx context.Context, v views.Variant, gen uint64) (string, error) {
	topic := v.Key()
	if l.touch(topic) {
		return topic, nil
	}
	for try := 1; ; try++ {
		snap := l.store.Load()
		ts, av, cv, err := l.renderVariant(ctx, v, snap)
		if err != nil {
			return "", err
		}
		l.renders.Add(1)
		l.mu.Lock()
		if lv, ok := l.variants[topic]; ok {
			// Another request or the loop got there first: theirs is as new or newer.
			lv.touched = l.now()
			l.mu.Unlock()
			return topic, nil
		}
		if l.store.Load() != snap && try < ensureTries {
			// A snapshot arrived during the render, and the loop may already have
			// listed the variants without this one: render again, or it stays behind
			// until the next snapshot. (After ensureTries, snapshots come faster than
			// renders, and the next one is due soon.)
			l.mu.Unlock()
			continue
		}
		// A variant of an older board set (SetBoards ran during this request) is
		// rebound and re-rendered by the loop, which reconfigure woke.
		lv := &liveVariant{v: v, last: ts, version: versionOf(snap), alertV: av, convV: cv, touched: l.now(), gen: gen, shell: l.shellOf(v)}
		l.variants[topic] = lv
		l.hub.Publish(topic, nil, message(ts.Full(), lv.shell, l.now()))
		l.mu.Unlock()
		return topic, nil
	}
}

// touch marks topic as wanted now and reports whether the loop tracks it.
func (l *live) touch(topic string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lv, ok := l.variants[topic]
	if ok {
		lv.touched = l.now()
	}
	return ok
}

// run evaluates the alert rules on every published snapshot and re-renders on every
// snapshot, every alert change (an acknowledgement between polls) and every
// announcement posted, withdrawn or expired, until ctx is done.
func (l *live) run(ctx context.Context) {
	for {
		changed := l.store.Changed()
		var alertsChanged, noticesChanged <-chan struct{}
		if l.alerts != nil {
			alertsChanged = l.alerts.Changed()
		}
		if l.notices != nil {
			noticesChanged = l.notices.Changed()
		}
		convsChanged := l.convsChanged()
		snap := l.store.Load()
		l.evaluate(snap)
		l.update(ctx, snap)
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-alertsChanged:
		case <-noticesChanged:
		case <-convsChanged:
		case <-l.boardsChanged:
		}
	}
}

// update renders each variant in use for snap and publishes its diff. The variant
// list is taken under the lock and the renders run without it (page loads and socket
// upgrades call ensure meanwhile); each result is committed only if the variant is
// still tracked and not already at snap's version.
func (l *live) update(ctx context.Context, snap *snapshot.Snapshot) {
	if snap == nil {
		return
	}
	for _, lv := range l.due(snap, l.sideVersion(), l.gen.Load()) {
		v, gen, ok := l.rebound(lv)
		if !ok {
			l.drop(lv)
			continue
		}
		next, av, cv, err := l.renderVariant(ctx, v, snap)
		if err != nil {
			// A drill-down skill that vanished from the snapshot: keep the last
			// tiles (marked stale by their sources) rather than blanking the page.
			l.log.Warn("render failed", "variant", lv.v.Key(), "err", err)
			continue
		}
		l.renders.Add(1)
		l.commit(lv, v, gen, snap.Version, av, cv, next)
	}
}

// rebound is lv's variant on the current board set (lv's own if it is current).
func (l *live) rebound(lv *liveVariant) (views.Variant, uint64, bool) {
	if l.rebind == nil || lv.gen == l.gen.Load() {
		return lv.v, lv.gen, true
	}
	return l.rebind(lv.v)
}

// drop forgets lv, whose board is gone, and closes its sockets.
func (l *live) drop(lv *liveVariant) {
	l.mu.Lock()
	defer l.mu.Unlock()
	topic := lv.v.Key()
	if l.variants[topic] != lv {
		return
	}
	delete(l.variants, topic)
	closeTopic(l.hub, topic)
}

// due drops the variants nobody watched for variantGrace and returns those not yet
// rendered from snap, alert version av and board-set generation gen, under the lock.
func (l *live) due(snap *snapshot.Snapshot, av, gen uint64) []*liveVariant {
	inUse := map[string]bool{}
	for _, t := range l.hub.Topics() {
		inUse[t] = true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*liveVariant
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
		if lv.version != snap.Version || lv.alertV != av || lv.gen != gen || lv.convV != l.convsVersion(lv.v) {
			out = append(out, lv)
		}
	}
	return out
}

// commit publishes next, rendered from v (of board-set generation gen), as lv's tiles
// for version, unless lv was dropped (or replaced) meanwhile or already shows all of
// it. Only the loop commits to a tracked variant, so a version other than lv's is the
// newer one. Publishing never blocks (bounded hub queues), so it may run under the
// lock, which keeps diffs in commit order. A changed page layout (shell) is sent even
// when no tile changed: the page then fetches itself again. An unchanged one is not
// sent: the page keeps the revision it has.
func (l *live) commit(lv *liveVariant, v views.Variant, gen, version, av, cv uint64, next views.Tileset) {
	l.mu.Lock()
	defer l.mu.Unlock()
	topic := lv.v.Key()
	if l.variants[topic] != lv || lv.version == version && lv.alertV >= av && lv.gen == gen && lv.convV >= cv {
		return
	}
	diff := views.Diff(lv.last, next)
	shell := l.shellOf(v)
	moved := shell != lv.shell
	lv.v, lv.gen, lv.shell = v, gen, shell
	lv.last, lv.version, lv.alertV, lv.convV = next, version, av, cv
	if len(diff) == 0 && !moved {
		return
	}
	now := l.now()
	msg := views.Message(diff, now)
	if moved {
		msg = views.WithShell(msg, shell)
	}
	l.hub.Publish(topic, msg, message(next.Full(), shell, now))
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

// variantOf is the variant a topic renders, if the loop tracks it.
func (l *live) variantOf(topic string) (views.Variant, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lv, ok := l.variants[topic]
	if !ok {
		return views.Variant{}, false
	}
	return lv.v, true
}
