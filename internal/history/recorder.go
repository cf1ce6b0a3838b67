package history

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// RawWindow is how long every recorded snapshot is kept; older history is one point
// per minute.
const RawWindow = 24 * time.Hour

// Keyframe windows: a chain of delta frames never crosses one, so a query decodes at
// most one window before the moment it wants.
const (
	rawWindow    = 10 * time.Minute
	minuteWindow = time.Hour
)

// Config tunes a History. Zero values mean the defaults.
type Config struct {
	// Retention is how long minute points and agent timelines are kept (history.retention).
	// Zero means 7 days; it is at least RawWindow.
	Retention time.Duration
	// Queue bounds the snapshots waiting to be written. Zero means 64; a full queue
	// drops the newest snapshot and counts it.
	Queue int
	// Log receives store failures and recoveries. Nil means slog.Default().
	Log *slog.Logger
	// Writes reports whether this History writes to its store now. Replicas sharing
	// one store (Redis) all record every snapshot into memory (their sparklines), but
	// only the one holding the lease writes: two writers' delta chains would interleave
	// in one tier. A skipped write restarts the chains, so the first frame written
	// after a take-over is a keyframe. Nil means always.
	Writes func() bool
}

// Stats are counters for metrics.
type Stats struct {
	Recorded int64 // snapshots written
	Dropped  int64 // snapshots dropped because the queue was full
	Failures int64 // store writes or trims that failed
}

// History records snapshots into a Store beside the live loop and answers queries.
// Record never blocks; Run does the writing on its own goroutine.
type History struct {
	store Store
	cfg   Config
	queue chan *snapshot.Snapshot

	// Owned by Run's goroutine.
	raw, minute *encoder
	z           packer
	prevAgents  map[string]agentMark
	lastVersion uint64
	lastTrim    time.Time

	mu     sync.Mutex // guards open; held only to update or read it, never for I/O
	open   minuteAgg
	newest time.Time // TakenAt of the newest recorded snapshot
	// recent holds the last closed minutes, oldest first; the ring is complete
	// from recentFrom (zero: not warmed yet).
	recent     []*minuteAgg
	recentFrom time.Time
	warmed     bool // owned by Run's goroutine

	recorded, dropped, failures atomic.Int64
	failing                     atomic.Bool
}

// New returns a History writing to store. Call Run to start writing.
func New(store Store, cfg Config) *History {
	if cfg.Retention == 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	cfg.Retention = max(cfg.Retention, RawWindow)
	if cfg.Queue <= 0 {
		cfg.Queue = 64
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &History{store: store, cfg: cfg, queue: make(chan *snapshot.Snapshot, cfg.Queue),
		raw: newEncoder(rawWindow, false), minute: newEncoder(minuteWindow, true), prevAgents: map[string]agentMark{}}
}

// Record queues snap for writing without ever waiting: when the queue is full it
// drops snap, counts it and returns false.
func (h *History) Record(snap *snapshot.Snapshot) bool {
	select {
	case h.queue <- snap:
		return true
	default:
		h.dropped.Add(1)
		return false
	}
}

// Watch records every snapshot st publishes until ctx is done. It runs on its own
// goroutine, so the live loop never waits for it.
func (h *History) Watch(ctx context.Context, st *snapshot.Store) {
	var last uint64
	for {
		changed := st.Changed()
		if s := st.Load(); s != nil && s.Version != last {
			last = s.Version
			h.Record(s)
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

// Run writes queued snapshots until ctx is done, then writes the open minute.
func (h *History) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			h.flushMinute(context.WithoutCancel(ctx))
			return
		case s := <-h.queue:
			h.write(ctx, s)
		}
	}
}

// RecordNow writes s synchronously on the caller's goroutine, for benchmarks and
// back-fill tools; it must not be used while Run is running.
func (h *History) RecordNow(ctx context.Context, s *snapshot.Snapshot) { h.write(ctx, s) }

// Stats returns the counters.
func (h *History) Stats() Stats {
	return Stats{Recorded: h.recorded.Load(), Dropped: h.dropped.Load(), Failures: h.failures.Load()}
}

// Available reports whether the store's last write or trim succeeded; pages show
// "history unavailable" when it did not.
func (h *History) Available() bool { return !h.failing.Load() }

// Retention is how long minute points and timelines are kept.
func (h *History) Retention() time.Duration { return h.cfg.Retention }

func (h *History) write(ctx context.Context, s *snapshot.Snapshot) {
	at := s.TakenAt
	h.mu.Lock()
	stale := (s.Version != 0 && s.Version == h.lastVersion) || at.Before(h.newest)
	h.mu.Unlock()
	if stale {
		return // a republished or out-of-order snapshot adds nothing
	}
	if !h.warmed {
		h.warmed = true
		h.warm(ctx, at)
	}
	var entries []Entry
	if m := h.minuteEntry(at); m != nil {
		entries = append(entries, *m)
	}
	raw := h.raw.encode(nil, s, at)
	if raw[0] == kindDelta {
		raw = h.z.pack(raw) // keyframes are deflated inside already
	}
	entries = append(entries, Entry{Tier: Raw, At: at, Data: raw})
	if ev := changes(nil, s, h.prevAgents); ev != nil {
		entries = append(entries, Entry{Tier: Events, At: at, Data: h.z.pack(ev)})
	}
	if len(h.prevAgents) > 2*len(s.Agents)+16 {
		clear(h.prevAgents) // agents left the floor; the next frame re-records everyone
	}
	h.mu.Lock()
	h.open.add(s, h.raw.lay, h.raw.cells, at)
	h.newest, h.lastVersion = at, s.Version
	h.mu.Unlock()
	ok := h.commit(ctx, entries)
	if at.Sub(h.lastTrim) >= time.Minute {
		h.lastTrim = at
		h.trim(ctx, at)
	}
	// Counted once the snapshot is fully handled, trim included, so a caller that
	// waits for the count sees the store as this snapshot left it.
	if ok {
		h.recorded.Add(1)
	}
}

// minuteEntry closes the open minute when at is in a later one, returning its frame.
func (h *History) minuteEntry(at time.Time) *Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := &h.open
	if m.start.IsZero() || m.start.Equal(at.Truncate(time.Minute)) {
		return nil
	}
	data := h.z.pack(m.appendAgg(h.minute.encode(nil, m.last, m.start)))
	e := &Entry{Tier: Minute, At: m.start, Data: data}
	h.remember(m.closed())
	m.start = time.Time{}
	return e
}

func (h *History) flushMinute(ctx context.Context) {
	h.mu.Lock()
	m := &h.open
	if m.start.IsZero() {
		h.mu.Unlock()
		return
	}
	e := Entry{Tier: Minute, At: m.start, Data: h.z.pack(m.appendAgg(h.minute.encode(nil, m.last, m.start)))}
	h.mu.Unlock()
	h.commit(ctx, []Entry{e})
}

// commit writes entries; a failure is logged when history becomes unavailable,
// counted, and restarts the chains (their next frame is a keyframe).
func (h *History) commit(ctx context.Context, entries []Entry) bool {
	if !h.writes() {
		h.raw.reset()
		h.minute.reset()
		return true
	}
	if err := h.store.Write(ctx, entries); err != nil {
		h.fail(err)
		h.raw.reset()
		for _, e := range entries {
			if e.Tier == Minute {
				h.minute.reset()
			}
		}
		return false
	}
	h.ok()
	return true
}

// writes reports whether commit and trim touch the store now (Config.Writes).
func (h *History) writes() bool { return h.cfg.Writes == nil || h.cfg.Writes() }

func (h *History) trim(ctx context.Context, now time.Time) {
	if !h.writes() {
		return
	}
	cuts := map[Tier]time.Time{
		Raw:    now.Add(-RawWindow).Truncate(rawWindow),
		Minute: now.Add(-h.cfg.Retention).Truncate(minuteWindow),
		Events: now.Add(-h.cfg.Retention).Truncate(minuteWindow),
	}
	for _, t := range Tiers {
		if err := h.store.Trim(ctx, t, cuts[t]); err != nil {
			h.fail(err)
			return
		}
	}
}

func (h *History) fail(err error) {
	h.failures.Add(1)
	if !h.failing.Swap(true) {
		h.cfg.Log.Error("history store failing: history is unavailable, live pages carry on", "err", err)
	}
}

func (h *History) ok() {
	if h.failing.Swap(false) {
		h.cfg.Log.Info("history store recovered")
	}
}
