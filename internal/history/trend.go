package history

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// SkillMinute is one minute of the floor as trend charts need it: every skill's
// queues and agent counts as the minute's last recorded snapshot had them. Skills
// are shared with the history's memory: read them, never change them.
type SkillMinute struct {
	At     time.Time // the minute's start
	Skills []snapshot.Skill
}

// SkillMinutes returns the minutes starting in [from, to), oldest first, limited to
// the skills in keys (nil: every skill). A range the in-memory ring of recent
// minutes covers (the last 90) costs no store read: this is what every skill tile's
// sparkline asks for on every snapshot. Older ranges (time travel, the day chart)
// walk the store's minute points once for all skills. The minute being gathered now
// is included when it starts before to. A minute with nothing recorded is absent.
func (h *History) SkillMinutes(ctx context.Context, from, to time.Time, keys []string) ([]SkillMinute, error) {
	if !from.Before(to) {
		return nil, nil
	}
	if out, ok := h.recentMinutes(from, to, keys, false); ok {
		return out, nil
	}
	var (
		c   chain
		out []SkillMinute
	)
	err := h.store.Range(ctx, Minute, from.Truncate(minuteWindow), to, func(at time.Time, data []byte) error {
		if _, err := c.apply(data); err != nil || !c.ok || at.Before(from) {
			return nil // a damaged frame loses its own minute; the next keyframe resyncs
		}
		out = append(out, SkillMinute{At: at, Skills: skillsFrom(c.lay, c.cells, keys)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history: skill minutes: %w", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := &h.open; !m.start.IsZero() && !m.start.Before(from) && m.start.Before(to) &&
		(len(out) == 0 || out[len(out)-1].At.Before(m.start)) {
		out = append(out, SkillMinute{At: m.start, Skills: pick(m.last.Skills, keys)})
	}
	return out, nil
}

// Recent is SkillMinutes from memory alone: it never reads the store, so the live
// loop can ask on every snapshot even while the store hangs. Minutes the ring does
// not hold (before the first recording warmed it, or older than 90 minutes) are
// simply absent.
func (h *History) Recent(from, to time.Time, keys []string) []SkillMinute {
	out, _ := h.recentMinutes(from, to, keys, true)
	return out
}

// recentMinutes answers from the ring when it covers from (or when partial is
// allowed); ok is false otherwise.
func (h *History) recentMinutes(from, to time.Time, keys []string, partial bool) ([]SkillMinute, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !partial && (h.recentFrom.IsZero() || from.Before(h.recentFrom)) {
		return nil, false
	}
	out := make([]SkillMinute, 0, len(h.recent)+1)
	for _, m := range append(h.recent, &h.open) {
		if m.start.IsZero() || m.start.Before(from) || !m.start.Before(to) {
			continue
		}
		skills := m.skills
		if skills == nil && m.last != nil {
			skills = m.last.Skills
		}
		out = append(out, SkillMinute{At: m.start, Skills: pick(skills, keys)})
	}
	return out, true
}

// pick returns the skills whose key is in keys (nil keys: all of them).
func pick(skills []snapshot.Skill, keys []string) []snapshot.Skill {
	if keys == nil {
		return skills
	}
	out := make([]snapshot.Skill, 0, len(keys))
	for _, sk := range skills {
		if slices.Contains(keys, sk.Key) {
			out = append(out, sk)
		}
	}
	return out
}

// skillsFrom builds the skills of a decoded frame (queues and agent counts), only
// those in keys when keys is not nil.
func skillsFrom(l *layout, cells []int64, keys []string) []snapshot.Skill {
	n := len(l.skills)
	if keys != nil {
		n = min(n, len(keys))
	}
	out := make([]snapshot.Skill, 0, n)
	for i, sk := range l.skills {
		if keys != nil && !slices.Contains(keys, sk.key) {
			continue
		}
		s := snapshot.Skill{Key: sk.key, ID: sk.id, Source: sk.source, Name: sk.name,
			Queues: make([]snapshot.Queue, len(sk.channels))}
		for j, ch := range sk.channels {
			s.Queues[j] = queueFrom(ch, cells[l.skillOff[i]+j*cellsQueue:])
		}
		s.Agents = countsFrom(cells[l.skillOff[i+1]-cellsCounts:])
		out = append(out, s)
	}
	return out
}
