package simulator

import (
	"math/rand/v2"
	"sort"
	"time"
)

// eventRetention is how long the event log keeps events: a day, the longest window
// any vendor API asks about (LivePerson timeframe ≤ 1440 minutes).
const eventRetention = 24 * time.Hour

// World is the simulated contact center at one instant. Read it only inside
// Simulator.View (which holds the lock) and never keep pointers after View returns.
// Vendor endpoints must not draw from its random source: only the engine does, so a
// poll never changes what happens next.
type World struct {
	// Now is the simulated time (whole seconds).
	Now time.Time
	// Skills and Agents are in a fixed order (Comm100 first, then LivePerson).
	Skills  []*Skill
	Agents  []*Agent
	Reasons []Reason
	// Waiting holds contacts in queue, oldest arrival first.
	Waiting []*Contact
	// Events is the rolling log of the last 24 h, oldest first.
	Events []Event
	// Today holds figures since local midnight, per vendor.
	Today map[Vendor]*DayStats
	// Totals holds counters since start, per vendor.
	Totals map[Vendor]*Totals

	rng     *rand.Rand
	loc     *time.Location
	day     time.Time // local midnight of the current day
	started time.Time // when the engine began (before warm-up)
	// arrivalScale multiplies every skill's arrival rate (the floor's size); 0 means 1.
	arrivalScale float64
}

// SkillsOf returns the skills of vendor v, in floor order.
func (w *World) SkillsOf(v Vendor) []*Skill {
	var out []*Skill
	for _, s := range w.Skills {
		if s.Vendor == v {
			out = append(out, s)
		}
	}
	return out
}

// AgentsOf returns the agents of vendor v, in floor order.
func (w *World) AgentsOf(v Vendor) []*Agent {
	var out []*Agent
	for _, a := range w.Agents {
		if a.Vendor == v {
			out = append(out, a)
		}
	}
	return out
}

// Skill returns the skill with id, or nil.
func (w *World) Skill(id string) *Skill {
	for _, s := range w.Skills {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Agent returns the agent with id, or nil.
func (w *World) Agent(id string) *Agent {
	for _, a := range w.Agents {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Reason returns the away reason with id, or nil.
func (w *World) Reason(id string) *Reason {
	for i := range w.Reasons {
		if w.Reasons[i].ID == id {
			return &w.Reasons[i]
		}
	}
	return nil
}

// ReasonsOf returns the away reasons of vendor v.
func (w *World) ReasonsOf(v Vendor) []Reason {
	var out []Reason
	for _, r := range w.Reasons {
		if r.Vendor == v {
			out = append(out, r)
		}
	}
	return out
}

// EventsSince returns the events at or after t (a sub-slice of Events; do not modify).
func (w *World) EventsSince(t time.Time) []Event {
	i := sort.Search(len(w.Events), func(i int) bool { return !w.Events[i].At.Before(t) })
	return w.Events[i:]
}

// WaitingIn returns the contacts waiting in skill id, oldest first. An empty channel
// means every channel.
func (w *World) WaitingIn(id string, ch string) []*Contact {
	var out []*Contact
	for _, c := range w.Waiting {
		if c.Skill == id && (ch == "" || string(c.Channel) == ch) {
			out = append(out, c)
		}
	}
	return out
}

// Ongoing returns the contacts being served in skill id; an empty channel means every
// channel.
func (w *World) Ongoing(id string, ch string) []*Contact {
	var out []*Contact
	for _, a := range w.Agents {
		for _, c := range a.Open {
			if c.Skill == id && (ch == "" || string(c.Channel) == ch) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Midnight is local midnight of the current simulated day (when Today began).
func (w *World) Midnight() time.Time { return w.day }

// Location is the time zone the floor keeps its day in (shifts, daily curve, Today).
func (w *World) Location() *time.Location { return w.loc }

// TodayOf returns a copy of vendor v's figures since Midnight.
func (w *World) TodayOf(v Vendor) DayStats { return *w.today(v) }

// Started is when the simulation began (Start minus the warm-up).
func (w *World) Started() time.Time { return w.started }

func (w *World) today(v Vendor) *DayStats {
	d := w.Today[v]
	if d == nil {
		d = &DayStats{}
		w.Today[v] = d
	}
	return d
}

func (w *World) totals(v Vendor) *Totals {
	t := w.Totals[v]
	if t == nil {
		t = &Totals{}
		w.Totals[v] = t
	}
	return t
}

func (w *World) log(e Event) {
	e.At = w.Now
	w.Events = append(w.Events, e)
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
