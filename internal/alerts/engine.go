package alerts

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// recentEvents is how many of the latest events the engine keeps in memory for the
// manager board's log (the full 7 days are in the store).
const recentEvents = 50

// maxQueuedEvents bounds the log events waiting for the writer; beyond it events are
// dropped from the log (and counted), never waited for.
const maxQueuedEvents = 1024

// Options configures an Engine.
type Options struct {
	Boards []Board
	Store  Store
	// Now is the clock for acknowledgements and log pruning. Nil means time.Now.
	// Evaluation uses each snapshot's TakenAt.
	Now func() time.Time
	Log *slog.Logger
	// OnEvents, if set, receives every batch of events once it happened (from the
	// goroutine that caused it, outside every lock). It must not block: the webhook
	// dispatcher only enqueues.
	OnEvents func([]Event)
	// Leads, if set, says whether this replica holds the lease: only then does the
	// engine evaluate, write and send events (nil: it always does, one replica).
	Leads func() bool
	// Shared carries the followers' acknowledgements to the leader and the leader's
	// writes to the followers (nil: one replica).
	Shared Shared
}

// Engine evaluates the rules of every board once per snapshot and keeps the alerts.
// Evaluate and Ack change memory only; Run writes the changes to the Store beside them.
type Engine struct {
	opts Options
	// rules are the boards' alert settings; SetBoards swaps them.
	rules atomic.Pointer[boardRules]
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	alerts  map[string]*Alert
	dirty   map[string]bool // ids to write (or delete, when no longer in alerts)
	queued  []Event         // events for the log, bounded by maxQueuedEvents
	recent  []Event         // the latest events, oldest first, at most recentEvents
	version uint64
	changed chan struct{}
	// pending are the acknowledgements this follower posted that the leader has not
	// written yet: kept over reloads so the alert stays silent meanwhile.
	pending map[string]Ack

	wake    chan struct{}
	flushMu sync.Mutex // one writer at a time
	dropped atomic.Int64
	failed  atomic.Int64
}

// New loads the tracked alerts from the store (so a restart resumes them, sustain and
// escalation clocks included) and forgets those whose board or rule is gone.
func New(ctx context.Context, opts Options) (*Engine, error) {
	e := &Engine{opts: opts, now: opts.Now, log: opts.Log,
		alerts: map[string]*Alert{}, dirty: map[string]bool{}, pending: map[string]Ack{}, changed: make(chan struct{}), wake: make(chan struct{}, 1)}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	rules, err := newBoardRules(opts.Boards)
	if err != nil {
		return nil, err
	}
	e.rules.Store(rules)
	saved, err := opts.Store.Active(ctx)
	if err != nil {
		return nil, fmt.Errorf("alerts: load state: %w", err)
	}
	for _, a := range saved {
		if _, ok := e.rule(a.Board, a.Rule); !ok {
			e.dirty[a.ID] = true // its rule is gone: delete at the first write
			continue
		}
		e.alerts[a.ID] = &a
	}
	if e.recent, err = opts.Store.Events(ctx, e.now().Add(-LogRetention), recentEvents); err != nil {
		return nil, fmt.Errorf("alerts: load log: %w", err)
	}
	return e, nil
}

func (e *Engine) rule(board, id string) (Rule, bool) { return e.rules.Load().rule(board, id) }

// Board returns the alerting settings of board id.
func (e *Engine) Board(id string) (Board, bool) {
	b, ok := e.rules.Load().byID[id]
	return b, ok
}

// Evaluate applies every rule to snap once (at snap.TakenAt) and returns what happened.
// It never waits for the store.
func (e *Engine) Evaluate(snap *snapshot.Snapshot) []Event {
	if snap == nil || !e.leads() {
		return nil
	}
	now := snap.TakenAt
	if now.IsZero() {
		now = e.now()
	}
	var events []Event
	e.mu.Lock()
	visibleChange := false
	rules := e.rules.Load()
	for _, id := range rules.order {
		b := rules.byID[id]
		for _, r := range b.Rules {
			p := policy{forDur: r.For, escalateAfter: b.EscalateAfter, clearAfter: b.ClearAfter, minLevel: r.level()}
			for _, rd := range b.read(r, snap, now) {
				aid := b.ID + "/" + r.ID + "/" + rd.subject
				cur := e.alerts[aid]
				next, kinds := step(cur, rd, r.Figure, p, now)
				if next == nil && cur == nil {
					continue
				}
				if next != nil {
					next.ID, next.Board, next.Rule, next.Figure, next.Subject = aid, b.ID, r.ID, r.Figure, rd.subject
				}
				ev := cur
				if next != nil {
					ev = next
					e.alerts[aid] = next
				} else {
					delete(e.alerts, aid)
				}
				if next == nil || cur == nil || !same(*next, *cur) {
					e.dirty[aid] = true
					visibleChange = visibleChange || ev.Visible()
				}
				for _, k := range kinds {
					events = append(events, Event{Kind: k, At: now, Alert: *ev})
				}
			}
		}
	}
	e.afterChangeLocked(visibleChange, events)
	e.mu.Unlock()
	e.emit(events)
	return events
}

// afterChangeLocked queues events for the log, bumps the version when something shown
// changed, and wakes the writer.
func (e *Engine) afterChangeLocked(visibleChange bool, events []Event) {
	e.recent = append(e.recent, events...)
	if over := len(e.recent) - recentEvents; over > 0 {
		e.recent = slices.Delete(e.recent, 0, over)
	}
	for _, ev := range events {
		if len(e.queued) >= maxQueuedEvents {
			e.dropped.Add(1)
			continue
		}
		e.queued = append(e.queued, ev)
	}
	if visibleChange || len(events) > 0 {
		e.version++
		close(e.changed)
		e.changed = make(chan struct{})
	}
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *Engine) emit(events []Event) {
	if len(events) > 0 && e.opts.OnEvents != nil {
		e.opts.OnEvents(events)
	}
}

// ErrBadNote is returned by Ack for a note longer than MaxNote characters.
var ErrBadNote = fmt.Errorf("alerts: note is longer than %d characters", MaxNote)

// Ack acknowledges the shown alert id for a viewer with scope sc: the alert stops
// sounding and escalating on every screen. Acknowledging twice keeps the first ack.
func (e *Engine) Ack(id, by, note string, sc snapshot.Scope) (Alert, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return Alert{}, ErrBadNote
	}
	e.mu.Lock()
	a, ok := e.alerts[id]
	if !ok || !a.Visible() || !a.VisibleTo(sc) {
		e.mu.Unlock()
		return Alert{}, ErrNotFound
	}
	if a.Ack != nil {
		out := *a
		e.mu.Unlock()
		return out, nil
	}
	e.mu.Unlock()
	ack := Ack{By: by, At: e.now(), Note: note}
	if !e.leads() && e.opts.Shared != nil {
		return e.postAck(id, ack)
	}
	return e.applyAck(id, ack)
}

// Alerts returns the shown alerts of board that scope sc may see: critical first,
// unacknowledged first, then oldest first.
func (e *Engine) Alerts(board string, sc snapshot.Scope) []Alert {
	e.mu.Lock()
	var out []Alert
	for _, a := range e.alerts {
		if a.Board == board && a.Visible() && a.VisibleTo(sc) {
			out = append(out, *a)
		}
	}
	e.mu.Unlock()
	slices.SortFunc(out, func(x, y Alert) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), x.RaisedAt.Compare(y.RaisedAt), strings.Compare(x.ID, y.ID))
	})
	return out
}

func rank(a Alert) int {
	r := 0
	if a.Level != Crit {
		r += 2
	}
	if a.Ack != nil {
		r++
	}
	return r
}

// Recent returns up to n of the latest events of board that scope sc may see, newest
// first, from memory (for the manager board; Log reads the whole 7 days).
func (e *Engine) Recent(board string, sc snapshot.Scope, n int) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Event
	for i := len(e.recent) - 1; i >= 0 && len(out) < n; i-- {
		if ev := e.recent[i]; ev.Alert.Board == board && ev.Alert.VisibleTo(sc) {
			out = append(out, ev)
		}
	}
	return out
}

// Version increases whenever a shown alert or the log changes.
func (e *Engine) Version() uint64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.version
}

// Changed returns a channel closed at the next change of Version.
func (e *Engine) Changed() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.changed
}

// Dropped counts log events dropped because the writer fell behind; Failed counts
// writes the store refused.
func (e *Engine) Dropped() int64 { return e.dropped.Load() }

// Failed counts store writes that failed (the state is retried at the next write).
func (e *Engine) Failed() int64 { return e.failed.Load() }

// Log returns the last 7 days of events of board (all boards when "") that scope sc
// may see, newest first, at most limit.
func (e *Engine) Log(ctx context.Context, board string, sc snapshot.Scope, limit int) ([]Event, error) {
	if err := e.Flush(ctx); err != nil {
		return nil, err
	}
	all, err := e.opts.Store.Events(ctx, e.now().Add(-LogRetention), 0)
	if err != nil {
		return nil, fmt.Errorf("alerts: log: %w", err)
	}
	var out []Event
	for i := len(all) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		ev := all[i]
		if (board == "" || ev.Alert.Board == board) && ev.Alert.VisibleTo(sc) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// Run writes changes to the store as they happen and prunes the log hourly, until ctx
// is done; then it writes what is left (with a short deadline of its own).
func (e *Engine) Run(ctx context.Context) {
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	e.pruneLog(ctx)
	if e.opts.Shared != nil {
		go e.opts.Shared.Watch(ctx, e.sync)
	}
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := e.Flush(fctx); err != nil {
				e.log.Error("alerts: final write failed", "err", err)
			}
			return
		case <-e.wake:
			if err := e.Flush(ctx); err != nil && ctx.Err() == nil {
				e.log.Error("alerts: write failed", "err", err)
			}
		case <-prune.C:
			e.pruneLog(ctx)
		}
	}
}

func (e *Engine) pruneLog(ctx context.Context) {
	if !e.leads() {
		return
	}
	if _, err := e.opts.Store.Prune(ctx, e.now().Add(-LogRetention)); err != nil && ctx.Err() == nil {
		e.log.Error("alerts: prune log failed", "err", err)
	}
}

// Flush writes every pending change to the store now. A failed write keeps the changes
// for the next one.
func (e *Engine) Flush(ctx context.Context) error {
	e.flushMu.Lock()
	defer e.flushMu.Unlock()
	e.mu.Lock()
	if !e.leads() { // a replica that lost the lease: the new leader's writes win
		e.dirty, e.queued = map[string]bool{}, nil
		e.mu.Unlock()
		return nil
	}
	var (
		put []Alert
		del []string
	)
	for id := range e.dirty {
		if a, ok := e.alerts[id]; ok {
			put = append(put, *a)
		} else {
			del = append(del, id)
		}
	}
	events := e.queued
	e.dirty, e.queued = map[string]bool{}, nil
	e.mu.Unlock()
	err := e.write(ctx, put, del, events)
	if err != nil {
		e.failed.Add(1)
		e.mu.Lock()
		for _, a := range put {
			e.dirty[a.ID] = true
		}
		for _, id := range del {
			e.dirty[id] = true
		}
		e.queued = append(events, e.queued...)
		if over := len(e.queued) - maxQueuedEvents; over > 0 {
			e.queued = e.queued[over:]
			e.dropped.Add(int64(over))
		}
		e.mu.Unlock()
	}
	return err
}

func (e *Engine) write(ctx context.Context, put []Alert, del []string, events []Event) error {
	if len(put)+len(del) > 0 {
		if err := e.opts.Store.Save(ctx, put, del); err != nil {
			return fmt.Errorf("alerts: save state: %w", err)
		}
	}
	if len(events) > 0 {
		if err := e.opts.Store.Append(ctx, events); err != nil {
			return fmt.Errorf("alerts: append log: %w", err)
		}
	}
	return nil
}

// same reports whether two states of an alert are equal (nothing to write).
func same(a, b Alert) bool { return reflect.DeepEqual(a, b) }
