package announce

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures a Feed.
type Options struct {
	Store Store
	// Boards returns the board ids a draft may name now (boards can change while the
	// server runs).
	Boards func() []string
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
	// After is the expiry timer. Nil means time.After; tests pass one they fire.
	After func(time.Duration) <-chan time.Time
	Log   *slog.Logger
}

// Feed is the set of active announcements: posted and withdrawn through it (each
// change written to the Store before it returns), expired by Run at their time.
type Feed struct {
	opts  Options
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
	log   *slog.Logger

	// writeMu serialises the changes (post, withdraw, expire), each with its store
	// write; mu guards the memory alone, so the live loop reading Active never waits
	// for a disk.
	writeMu sync.Mutex
	mu      sync.Mutex
	active  map[string]Announcement
	version uint64
	changed chan struct{}
	reset   chan struct{} // wakes Run when the next expiry may have moved
}

// New loads the kept announcements and deletes those that expired meanwhile.
func New(ctx context.Context, opts Options) (*Feed, error) {
	f := &Feed{opts: opts, now: opts.Now, after: opts.After, log: opts.Log,
		active: map[string]Announcement{}, changed: make(chan struct{}), reset: make(chan struct{}, 1)}
	if f.now == nil {
		f.now = time.Now
	}
	if f.after == nil {
		f.after = time.After
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	kept, err := opts.Store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("announce: load: %w", err)
	}
	var gone []string
	now := f.now()
	for _, a := range kept {
		if a.Expired(now) {
			gone = append(gone, a.ID)
			continue
		}
		f.active[a.ID] = a
	}
	if len(gone) > 0 {
		if err := opts.Store.Delete(ctx, gone...); err != nil {
			return nil, fmt.Errorf("announce: delete expired: %w", err)
		}
	}
	return f, nil
}

// Post checks d, writes the announcement and shows it. by names the poster (a user
// or an API token's name). Refusals wrap ErrInvalid (what to fix) or are ErrFull.
func (f *Feed) Post(ctx context.Context, d Draft, by string) (Announcement, error) {
	now := f.now()
	a, err := d.check(now, f.opts.Boards())
	if err != nil {
		return Announcement{}, err
	}
	a.ID, a.By, a.PostedAt = newID(), by, now.UTC()
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	f.mu.Lock()
	full := len(f.liveLocked(now)) >= MaxActive
	f.mu.Unlock()
	if full {
		return Announcement{}, ErrFull
	}
	if err := f.opts.Store.Put(ctx, a); err != nil {
		return Announcement{}, fmt.Errorf("announce: post: %w", err)
	}
	f.mu.Lock()
	f.active[a.ID] = a
	f.changedLocked()
	f.mu.Unlock()
	return a, nil
}

// Withdraw removes the active announcement id, if may allows it (the caller's right to
// its boards); otherwise, or if there is none, it returns ErrNotFound.
func (f *Feed) Withdraw(ctx context.Context, id string, may func(Announcement) bool) (Announcement, error) {
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	f.mu.Lock()
	a, ok := f.active[id]
	f.mu.Unlock()
	if !ok || a.Expired(f.now()) || !may(a) {
		return Announcement{}, ErrNotFound
	}
	if err := f.opts.Store.Delete(ctx, id); err != nil {
		return Announcement{}, fmt.Errorf("announce: withdraw: %w", err)
	}
	f.mu.Lock()
	delete(f.active, id)
	f.changedLocked()
	f.mu.Unlock()
	return a, nil
}

// Active returns the announcements shown on board now ("" = every board's): urgent
// first, then the newest first.
func (f *Feed) Active(board string) []Announcement {
	f.mu.Lock()
	live := f.liveLocked(f.now())
	f.mu.Unlock()
	out := slices.DeleteFunc(live, func(a Announcement) bool { return board != "" && !a.On(board) })
	slices.SortFunc(out, func(x, y Announcement) int {
		return cmp.Or(cmp.Compare(rank(x.Level), rank(y.Level)), y.PostedAt.Compare(x.PostedAt), strings.Compare(x.ID, y.ID))
	})
	return out
}

func rank(l Level) int {
	if l == Urgent {
		return 0
	}
	return 1
}

// liveLocked is the active announcements not yet expired at now, in any order.
func (f *Feed) liveLocked(now time.Time) []Announcement {
	out := make([]Announcement, 0, len(f.active))
	for _, a := range f.active {
		if !a.Expired(now) {
			out = append(out, a)
		}
	}
	return out
}

// Version increases at every post, withdrawal and expiry.
func (f *Feed) Version() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version
}

// Changed returns a channel closed at the next change of Version.
func (f *Feed) Changed() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed
}

func (f *Feed) changedLocked() {
	f.version++
	close(f.changed)
	f.changed = make(chan struct{})
	select {
	case f.reset <- struct{}{}:
	default:
	}
}

// Run expires announcements at their time until ctx is done: one timer, set for the
// next expiry, reset whenever a post or withdrawal may have moved it.
func (f *Feed) Run(ctx context.Context) {
	for {
		var fire <-chan time.Time
		if next, ok := f.nextExpiry(); ok {
			fire = f.after(max(next.Sub(f.now()), 0))
		}
		select {
		case <-ctx.Done():
			return
		case <-f.reset:
		case <-fire:
			f.expire(ctx)
		}
	}
}

func (f *Feed) nextExpiry() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var next time.Time
	for _, a := range f.active {
		if next.IsZero() || a.ExpiresAt.Before(next) {
			next = a.ExpiresAt
		}
	}
	return next, !next.IsZero()
}

// expire drops the announcements expired by now and tells the walls. A failed delete
// is logged: they are gone from memory, and New drops them at the next start.
func (f *Feed) expire(ctx context.Context) {
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	f.mu.Lock()
	now := f.now()
	var gone []string
	for id, a := range f.active {
		if a.Expired(now) {
			gone = append(gone, id)
			delete(f.active, id)
		}
	}
	if len(gone) > 0 {
		f.changedLocked()
	}
	f.mu.Unlock()
	if len(gone) == 0 {
		return
	}
	if err := f.opts.Store.Delete(ctx, gone...); err != nil && ctx.Err() == nil {
		f.log.Error("announce: deleting expired announcements failed", "err", err)
	}
}
