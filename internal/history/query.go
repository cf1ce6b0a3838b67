package history

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// MaxPoints bounds one series: (To-From)/Step.
const MaxPoints = 10000

// Query asks for one metric of one skill over [From, To) in buckets of Step.
type Query struct {
	Skill string
	// Channel picks the skill's queue; empty means its first (chat before messaging).
	Channel snapshot.Channel
	Metric  Metric
	From    time.Time
	To      time.Time
	Step    time.Duration
}

// Point is one bucket of a series: the lowest, highest and last value recorded in
// [At, At+Step). Unknown values stay unknown (null in JSON).
type Point struct {
	At   time.Time             `json:"at"`
	Min  snapshot.Opt[float64] `json:"min"`
	Max  snapshot.Opt[float64] `json:"max"`
	Last snapshot.Opt[float64] `json:"last"`
}

func (q Query) check() error {
	switch {
	case q.Skill == "":
		return fmt.Errorf("%w: skill is required", ErrBadQuery)
	case q.Metric.Name == "":
		return fmt.Errorf("%w: metric is required", ErrBadQuery)
	case !q.From.Before(q.To):
		return fmt.Errorf("%w: from must be before to", ErrBadQuery)
	case q.Step < time.Second:
		return fmt.Errorf("%w: step must be at least 1s", ErrBadQuery)
	case q.To.Sub(q.From)/q.Step > MaxPoints:
		return fmt.Errorf("%w: more than %d points; use a larger step", ErrBadQuery, MaxPoints)
	}
	return nil
}

// Series answers q from every recorded snapshot when the step is under a minute and
// the range is within the last RawWindow, else from the minute points (plus the
// minute being gathered now). Buckets with no data are left out.
func (h *History) Series(ctx context.Context, q Query) ([]Point, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	h.mu.Lock()
	newest := h.newest
	h.mu.Unlock()
	tier, window := Minute, minuteWindow
	if q.Step < time.Minute && !q.From.Before(newest.Add(-RawWindow)) {
		tier, window = Raw, rawWindow
	}
	if tier == Minute {
		if pts, ok := h.fromRecent(q); ok {
			return pts, nil
		}
	}
	var (
		pts   []Point
		c     chain
		lay   *layout
		cell  = -1
		found bool
	)
	err := h.store.Range(ctx, tier, q.From.Truncate(window), q.To, func(at time.Time, data []byte) error {
		rest, err := c.apply(data)
		if err != nil || !c.ok || at.Before(q.From) {
			return nil // skip a damaged frame: the next keyframe resyncs
		}
		if c.lay != lay {
			lay, cell = c.lay, -1
			if i := lay.skillIndex(q.Skill); i >= 0 {
				cell = q.Metric.cell(lay, i, q.Channel)
			}
		}
		if cell < 0 {
			return nil
		}
		found = true
		last := c.cells[cell]
		lo, hi := last, last
		if tier == Minute {
			if lo, hi, err = aggBounds(rest, lay, cell, last); err != nil {
				return nil
			}
		}
		pts = q.merge(pts, at, lo, hi, last)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history: series: %w", err)
	}
	if tier == Minute {
		pts, found = h.mergeOpen(q, pts, found)
	}
	if !found {
		return nil, h.missing(q)
	}
	return pts, nil
}

// mergeOpen adds the minute being gathered when it falls in the range.
func (h *History) mergeOpen(q Query, pts []Point, found bool) ([]Point, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := &h.open
	if m.start.IsZero() || m.start.Before(q.From) || !m.start.Before(q.To) {
		return pts, found
	}
	i := m.lay.skillIndex(q.Skill)
	if i < 0 {
		return pts, found
	}
	cell := q.Metric.cell(m.lay, i, q.Channel)
	if cell < 0 {
		return pts, found
	}
	lo, hi := m.bounds(cell)
	return q.merge(pts, m.start, lo, hi, m.cells[cell]), true
}

// missing says why a series is empty: a bad skill or channel is the caller's error.
func (h *History) missing(q Query) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := &h.open; m.lay != nil {
		i := m.lay.skillIndex(q.Skill)
		if i < 0 {
			return fmt.Errorf("%w: unknown skill %q", ErrBadQuery, q.Skill)
		}
		if q.Metric.cell(m.lay, i, q.Channel) < 0 {
			return fmt.Errorf("%w: skill %q has no channel %q", ErrBadQuery, q.Skill, q.Channel)
		}
	}
	return ErrNotFound
}

func (q Query) merge(pts []Point, at time.Time, lo, hi, last int64) []Point {
	b := q.From.Add(at.Sub(q.From) / q.Step * q.Step)
	m := q.Metric
	if n := len(pts); n > 0 && pts[n-1].At.Equal(b) {
		p := &pts[n-1]
		p.Min = lower(p.Min, m.value(lo))
		p.Max = higher(p.Max, m.value(hi))
		p.Last = m.value(last)
		return pts
	}
	return append(pts, Point{At: b, Min: m.value(lo), Max: m.value(hi), Last: m.value(last)})
}

func lower(a, b snapshot.Opt[float64]) snapshot.Opt[float64] {
	av, aok := a.Get()
	bv, bok := b.Get()
	if !aok || (bok && bv < av) {
		return b
	}
	return a
}

func higher(a, b snapshot.Opt[float64]) snapshot.Opt[float64] {
	av, aok := a.Get()
	bv, bok := b.Get()
	if !aok || (bok && bv > av) {
		return b
	}
	return a
}

// At returns the snapshot as it was at t: the last one recorded at or before t
// within the last RawWindow, or the last of t's minute before that. It returns
// ErrNotFound when nothing was recorded in t's keyframe window or the one before.
// Agents' day activity is kept in the minute tier alone: a snapshot from the raw
// tier takes it from the last minute closed by t (at most a minute behind, as the
// board shows it in whole minutes).
func (h *History) At(ctx context.Context, t time.Time) (*snapshot.Snapshot, error) {
	h.mu.Lock()
	newest := h.newest
	h.mu.Unlock()
	if t.Before(newest.Add(-RawWindow)) {
		return h.at(ctx, Minute, minuteWindow, t.Add(time.Nanosecond))
	}
	s, err := h.at(ctx, Raw, rawWindow, t.Add(time.Nanosecond))
	if err != nil {
		return nil, err
	}
	if m, err := h.at(ctx, Minute, minuteWindow, t.Truncate(time.Minute)); err == nil {
		withActivity(s, m)
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return s, nil
}

// at returns the last snapshot of tier recorded before end, looking back into the
// keyframe window before end's.
func (h *History) at(ctx context.Context, tier Tier, window time.Duration, end time.Time) (*snapshot.Snapshot, error) {
	t := end.Add(-time.Nanosecond)
	for start := t.Truncate(window); !start.Before(t.Truncate(window).Add(-window)); start = start.Add(-window) {
		var c chain
		err := h.store.Range(ctx, tier, start, end, func(_ time.Time, data []byte) error {
			_, _ = c.apply(data) // a damaged frame leaves c not ok until the next keyframe
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("history: at: %w", err)
		}
		if c.ok {
			return c.snapshot(), nil
		}
		end = start
	}
	return nil, ErrNotFound
}

// withActivity gives s's agents their day activity as m (the minute tier) has it.
func withActivity(s, m *snapshot.Snapshot) {
	act := make(map[string]*snapshot.Activity, len(m.Agents))
	for _, a := range m.Agents {
		if a.Activity != nil {
			act[a.Key] = a.Activity
		}
	}
	for i := range s.Agents {
		if a, ok := act[s.Agents[i].Key]; ok {
			s.Agents[i].Activity = a
		}
	}
}

// Timeline returns the state changes of the agent with key in [from, to), oldest first.
func (h *History) Timeline(ctx context.Context, agent string, from, to time.Time) ([]Change, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("%w: from must be before to", ErrBadQuery)
	}
	var out []Change
	err := h.store.Range(ctx, Events, from, to, func(at time.Time, data []byte) error {
		err := decodeChanges(at, data, func(c Change) {
			if c.Agent == agent {
				out = append(out, c)
			}
		})
		if errors.Is(err, ErrCorrupt) {
			return nil // one damaged frame loses its own changes only
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("history: timeline: %w", err)
	}
	return out, nil
}
