package history

import (
	"context"
	"time"
)

// recentMinutes is how many closed minutes History keeps in memory: every tile's
// sparkline asks for the last hour on every snapshot, which must cost microseconds,
// not a walk of the store.
const recentMinutes = 90

// remember adds a closed minute to the ring; caller holds h.mu.
func (h *History) remember(m *minuteAgg) {
	h.recent = append(h.recent, m)
	if n := len(h.recent) - recentMinutes; n > 0 {
		h.recent = append(h.recent[:0], h.recent[n:]...)
		h.recentFrom = h.recent[0].start
	}
}

// warm fills the ring from the store once, before the first write, so sparklines
// are whole right after a restart.
func (h *History) warm(ctx context.Context, now time.Time) {
	from := now.Truncate(time.Minute).Add(-recentMinutes * time.Minute)
	var c chain
	var ring []*minuteAgg
	err := h.store.Range(ctx, Minute, from.Truncate(minuteWindow), now, func(at time.Time, data []byte) error {
		rest, err := c.apply(data)
		if err != nil || !c.ok || at.Before(from) {
			return nil
		}
		if m, err := parseAgg(at, c.lay, c.cells, rest); err == nil {
			ring = append(ring, m)
		}
		return nil
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.recentFrom = now // unknown before now: queries of older minutes go to the store
		return
	}
	h.recent, h.recentFrom = ring, from
	if n := len(h.recent) - recentMinutes; n > 0 {
		h.recent = h.recent[n:]
		h.recentFrom = h.recent[0].start
	}
}

// fromRecent answers a minute-tier query from memory when the ring covers its range.
func (h *History) fromRecent(q Query) ([]Point, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.recentFrom.IsZero() || q.From.Before(h.recentFrom) {
		return nil, false
	}
	var pts []Point
	found := false
	for _, m := range append(h.recent, &h.open) {
		if m.start.IsZero() || m.start.Before(q.From) || !m.start.Before(q.To) {
			continue
		}
		i := m.lay.skillIndex(q.Skill)
		if i < 0 {
			continue
		}
		cell := q.Metric.cell(m.lay, i, q.Channel)
		if cell < 0 {
			continue
		}
		lo, hi := m.bounds(cell)
		pts = q.merge(pts, m.start, lo, hi, m.cells[cell])
		found = true
	}
	return pts, found
}
