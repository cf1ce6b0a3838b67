package poller

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Poller runs one scheduler per source and publishes a new snapshot after every
// poll, good or bad: the latest good Part of each source plus every source's status.
// A failing source's figures stay (marked stale by its status) while the others move
// on.
type Poller struct {
	store   *snapshot.Store
	log     *slog.Logger
	metrics *Metrics
	runs    []*sourceRun
	now     func() time.Time
	started atomic.Bool

	// mu guards parts and statuses, and serializes Merge+Publish so versions
	// increase in publish order.
	mu       sync.Mutex
	parts    map[string]snapshot.Part
	statuses map[string]*snapshot.SourceStatus
	states   *stateTracker // guarded by mu

	stateStore StateSinceStore // nil: measured times are not kept across restarts

	// ctl guards runs and running: the loops Run started, which Update changes.
	ctl     sync.Mutex
	running *running // nil before Run and once it is stopping
}

// sourceRun is one source's scheduling state (owned by its goroutine, except the
// counters read under Poller.mu).
type sourceRun struct {
	cfg      SourceConfig
	sched    schedule
	requests int64 // Client counters at the last record, for metric deltas
	limited  int64
}

// New returns a Poller for sources that publishes to store. log nil means no logs;
// m nil means no metrics.
func New(store *snapshot.Store, sources []SourceConfig, log *slog.Logger, m *Metrics) *Poller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Poller{store: store, log: log, metrics: m, now: time.Now,
		parts: map[string]snapshot.Part{}, statuses: map[string]*snapshot.SourceStatus{}, states: newStateTracker(nil)}
	for _, sc := range sources {
		p.runs = append(p.runs, newSourceRun(sc))
	}
	return p
}

func newSourceRun(sc SourceConfig) *sourceRun {
	sc = sc.withDefaults()
	seed := uint64(0)
	if sc.Source != nil {
		h := fnv.New64a()
		h.Write([]byte(sc.Source.ID()))
		seed = h.Sum64()
	}
	return &sourceRun{cfg: sc, sched: newSchedule(sc, seed)}
}

// WithStateSince keeps the state-since times the poller measures itself (for vendors
// that give none, see StateMark) in st, so a restart does not reset them. Call it
// before Run; it returns p.
func (p *Poller) WithStateSince(st StateSinceStore) *Poller {
	p.stateStore = st
	return p
}

// WithSeed starts the poller from snap (a replica taking over from another one's
// snapshot): every source's figures and status carry on from it instead of starting as
// "waiting for first poll", so a takeover never blanks a board. Each source still polls
// at once. Call it before Run; nil means no seed; it returns p.
func (p *Poller) WithSeed(snap *snapshot.Snapshot) *Poller {
	if snap == nil {
		return p
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range snap.Sources {
		if st.LastError != nil && st.LastError.Kind == snapshot.ErrClusterLink {
			st.ConsecutiveFailures, st.LastError = 0, nil // the link, not the vendor, failed
		}
		p.statuses[st.ID] = &st
		if !st.LastSuccess.IsZero() {
			p.parts[st.ID] = partOf(snap, st.ID)
		}
	}
	return p
}

// partOf is what source id contributed to snap.
func partOf(snap *snapshot.Snapshot, id string) snapshot.Part {
	pt := snapshot.Part{Source: id}
	for _, sk := range snap.Skills {
		if sk.Source == id {
			pt.Skills = append(pt.Skills, sk)
		}
	}
	for _, a := range snap.Agents {
		if a.Source == id {
			pt.Agents = append(pt.Agents, a)
		}
	}
	for _, ac := range snap.Accounts {
		if ac.Source == id {
			pt.Accounts = append(pt.Accounts, ac)
		}
	}
	return pt
}

// Run polls every source until ctx is done, then returns nil. It returns an error
// at once if the configuration is invalid (no store, a nil source, duplicate ids)
// or Run was already called.
func (p *Poller) Run(ctx context.Context) error {
	if err := p.validate(); err != nil {
		return err
	}
	if !p.started.CompareAndSwap(false, true) {
		return errors.New("poller: Run called twice")
	}
	saver := p.loadStates(ctx)
	now := p.now()
	p.mu.Lock()
	seeded := p.statuses
	p.statuses = map[string]*snapshot.SourceStatus{}
	for _, r := range p.runs {
		id := r.cfg.Source.ID()
		st := &snapshot.SourceStatus{ID: id, Kind: r.cfg.Source.Kind()}
		if old := seeded[id]; old != nil && old.Kind == st.Kind {
			st = old
		} else {
			delete(p.parts, id)
		}
		st.NextPoll = now
		p.statuses[id] = st
	}
	// Publish at once so pages show every source as "waiting for first poll"
	// instead of nothing.
	p.publishLocked(now)
	p.mu.Unlock()

	rn := &running{ctx: ctx, saver: saver, loops: map[string]*loopHandle{}}
	p.ctl.Lock()
	for _, r := range p.runs {
		rn.start(p, r)
	}
	p.running = rn
	p.ctl.Unlock()
	<-ctx.Done()
	p.ctl.Lock()
	p.running = nil // Update refuses from here on
	p.ctl.Unlock()
	rn.wg.Wait()
	if saver != nil {
		saver.stop()
	}
	return nil
}

// loadStates reads the saved state-since marks and starts their saver; nil without a
// store. A store that cannot be read costs the saved times, never the polling.
func (p *Poller) loadStates(ctx context.Context) *stateSaver {
	if p.stateStore == nil {
		return nil
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	loaded, err := p.stateStore.Load(lctx)
	cancel()
	if err != nil {
		p.log.Warn("state-since times not restored", "err", err)
	}
	p.mu.Lock()
	p.states = newStateTracker(loaded)
	p.mu.Unlock()
	s := newStateSaver(p.stateStore)
	s.start(ctx, func(err error) { p.log.Warn("state-since times not saved", "err", err) })
	return s
}

func (p *Poller) validate() error {
	if p.store == nil {
		return errors.New("poller: nil store")
	}
	seen := map[string]bool{}
	for i, r := range p.runs {
		if r.cfg.Source == nil {
			return fmt.Errorf("poller: source %d is nil", i)
		}
		id := r.cfg.Source.ID()
		if id == "" || seen[id] {
			return fmt.Errorf("poller: source id %q is empty or used twice", id)
		}
		seen[id] = true
	}
	return nil
}

// loop polls one source until ctx is done.
func (p *Poller) loop(ctx context.Context, r *sourceRun, saver *stateSaver) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		start := time.Now()
		pctx, cancel := context.WithTimeout(ctx, r.cfg.PollTimeout)
		part, err := r.cfg.Source.Poll(pctx)
		cancel()
		if ctx.Err() != nil {
			return // shutting down: the poll was cut short by us, not the vendor
		}
		timer.Reset(p.record(r, part, err, time.Since(start), saver))
	}
}

// record stores the outcome of one poll, publishes a new snapshot and returns how
// long to wait before the next poll.
func (p *Poller) record(r *sourceRun, part snapshot.Part, err error, took time.Duration, saver *stateSaver) time.Duration {
	id := r.cfg.Source.ID()
	now := p.now()
	p.mu.Lock()
	st := p.statuses[id]
	prevFailures := st.ConsecutiveFailures
	st.LastAttempt = now
	var pe *Error
	if err == nil {
		// Once per good Part, here: nothing downstream sees a raw vendor name.
		part = snapshot.CleanPart(part)
		part.Source = id
		if p.states.apply(id, part.Agents, now) && saver != nil {
			saver.offer(id, p.states.snapshotOf(id))
		}
		p.parts[id] = part
		st.LastSuccess = now
		st.ConsecutiveFailures = 0
	} else {
		pe = classify(err)
		st.ConsecutiveFailures++
		st.LastError = &snapshot.SourceError{Kind: pe.Kind, Text: pe.Summary(), At: now}
	}
	delay := r.sched.next(pe, st.ConsecutiveFailures)
	st.NextPoll = now.Add(delay)
	var newReq, newLimited int64
	if c := r.cfg.Client; c != nil {
		req, lim := c.Requests(), c.RateLimited()
		newReq, newLimited = req-r.requests, lim-r.limited
		r.requests, r.limited = req, lim
		st.Requests, st.RateLimited = req, lim
	}
	failures := st.ConsecutiveFailures
	outcome := "ok"
	if pe != nil {
		outcome = string(pe.Kind)
	}
	// Metrics first: whoever sees the snapshot sees its poll counted.
	p.metrics.poll(id, outcome, took, failures, st.LastSuccess)
	p.metrics.vendor(id, newReq, newLimited)
	p.publishLocked(now)
	p.mu.Unlock()

	switch {
	case pe != nil:
		// Summary and Op only: never the error chain, which could quote a body.
		p.log.Warn("poll failed", "source", id, "kind", pe.Kind, "op", pe.Op, "status", pe.Status,
			"error", pe.Summary(), "failures", failures, "retry_in", delay.Round(time.Millisecond))
	case prevFailures > 0:
		p.log.Info("poll recovered", "source", id, "after_failures", prevFailures)
	}
	return delay
}

// publishLocked merges and publishes; p.mu must be held.
func (p *Poller) publishLocked(now time.Time) {
	parts := make([]snapshot.Part, 0, len(p.parts))
	for _, pt := range p.parts {
		parts = append(parts, pt)
	}
	statuses := make([]snapshot.SourceStatus, 0, len(p.statuses))
	for _, st := range p.statuses {
		statuses = append(statuses, *st)
	}
	snap := snapshot.Merge(p.store.Load(), parts, statuses, now)
	p.metrics.published(snap.Version)
	p.store.Publish(snap)
}

// classify makes any poll error an *Error. A source that returns the context's
// error (or wraps it) timed out, whatever it says.
func classify(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: snapshot.ErrTimeout, Op: "poll", Err: err}
	}
	return asError(err)
}
