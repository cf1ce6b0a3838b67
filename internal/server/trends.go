package server

import (
	"context"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// trendSource builds what the boards' sparklines draw. Live, it is built once per
// snapshot from history's memory alone (never the store, so a hung store cannot
// delay a diff) and shared by every variant, page and diff of that snapshot, so a
// page and the loop's last tiles agree byte for byte. A page of the past reads the
// store instead.
type trendSource struct {
	h *history.History // nil: no history kept, no sparklines

	mu      sync.Mutex
	version uint64
	cached  *views.Trends
}

// live returns the trends of snap, built on first use of its version.
func (t *trendSource) live(snap *snapshot.Snapshot) *views.Trends {
	if t == nil || t.h == nil || snap == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cached != nil && t.version == snap.Version {
		return t.cached
	}
	// Under the lock: the ring is memory, microseconds, and two callers must never
	// build two different trends for one version.
	end := snap.TakenAt.Truncate(time.Minute)
	mins := t.h.Recent(end.Add(-views.SparkMinutes*time.Minute), end, nil)
	t.version, t.cached = snap.Version, views.NewTrends(end, mins, !t.h.Available())
	return t.cached
}

// at returns the trends as they were at a moment (time travel): from memory when
// the ring covers it, else from the store; a store that cannot be read gives
// trends marked unavailable.
func (t *trendSource) at(ctx context.Context, at time.Time) *views.Trends {
	if t == nil || t.h == nil {
		return nil
	}
	end := at.Truncate(time.Minute)
	mins, err := t.h.SkillMinutes(ctx, end.Add(-views.SparkMinutes*time.Minute), end, nil)
	return views.NewTrends(end, mins, err != nil || !t.h.Available())
}

// day returns the drill-down chart of skill from local midnight to end.
func (t *trendSource) day(ctx context.Context, skill string, end time.Time) *views.DayChart {
	if t == nil || t.h == nil {
		return nil
	}
	l := end.Local()
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.Local)
	mins, err := t.h.SkillMinutes(ctx, from, end, []string{skill})
	return &views.DayChart{From: from, To: end, Minutes: mins, Unavailable: err != nil || !t.h.Available()}
}
