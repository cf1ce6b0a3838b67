package alerts

import (
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Status is where an alert is in its life.
type Status string

// Statuses. A cleared alert is no longer tracked: its end is an event in the log.
const (
	Pending   Status = "pending"   // breaching, not yet for the rule's `for:`; not shown
	Raised    Status = "raised"    // shown on the walls
	Escalated Status = "escalated" // raised and unacknowledged for the board's escalate_after
)

// Alert is one rule breached by one subject (a skill, or an agent).
type Alert struct {
	// ID is "<board>/<rule>/<subject key>": stable across snapshots and restarts.
	ID      string `json:"id"`
	Board   string `json:"board"`
	Rule    string `json:"rule"`
	Figure  Figure `json:"figure"`
	Subject string `json:"subject"`
	// Name is the skill's (or agent's) name as the banner shows it.
	Name string `json:"name"`
	// Skills are the skill keys the alert concerns; a scoped manager sees the alert
	// when their scope allows one of them.
	Skills []string `json:"skills"`
	Status Status   `json:"status"`
	// Level is the worst level the figure reaches now.
	Level Level `json:"level"`
	// Value is the figure at the last snapshot, in its unit (count, seconds, ratio).
	Value float64 `json:"value"`
	// Threshold is the limit of Level the value reached.
	Threshold float64 `json:"threshold"`
	// Target is the service-level target the rule names, if any.
	Target time.Duration `json:"target,omitempty"`
	// BreachSince is when the figure first breached; RaisedAt when the alert was shown;
	// EscalatedAt when it escalated (zero until then).
	BreachSince time.Time `json:"breachSince"`
	RaisedAt    time.Time `json:"raisedAt,omitzero"`
	EscalatedAt time.Time `json:"escalatedAt,omitzero"`
	// BackSince is when the figure came back within limits; zero while it breaches.
	BackSince time.Time `json:"backSince,omitzero"`
	// Ack is set once a manager acknowledged the alert.
	Ack *Ack `json:"ack,omitempty"`
}

// Ack records who acknowledged an alert, when, and why.
type Ack struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Visible reports whether the alert is shown (raised or escalated).
func (a Alert) Visible() bool { return a.Status == Raised || a.Status == Escalated }

// Acked reports whether a manager acknowledged the alert.
func (a Alert) Acked() bool { return a.Ack != nil }

// VisibleTo reports whether a viewer with scope sc may see (and acknowledge) the alert.
func (a Alert) VisibleTo(sc snapshot.Scope) bool {
	return sc.All() || slices.ContainsFunc(a.Skills, sc.Allows)
}

// Text is the banner's words without the ticking "for N min": "Sales — longest wait
// 3:12 ◆ CRIT".
func (a Alert) Text() string {
	return a.Name + " — " + a.Figure.Label() + " " + FormatValue(a.Figure, a.Value) + " ◆ " + upper(a.Level)
}

func upper(l Level) string {
	if l == Crit {
		return "CRIT"
	}
	return "WARN"
}

// EventKind names what happened to an alert.
type EventKind string

// Event kinds (also the webhook "event" field).
const (
	EventRaise    EventKind = "raise"
	EventEscalate EventKind = "escalate"
	EventClear    EventKind = "clear"
	EventAck      EventKind = "ack"
)

// Event is one entry of the alert log: the alert as it was when it happened.
type Event struct {
	Kind  EventKind `json:"event"`
	At    time.Time `json:"at"`
	Alert Alert     `json:"alert"`
}

// policy is the part of a board the state machine needs.
type policy struct {
	forDur, escalateAfter, clearAfter time.Duration
	minLevel                          Level
}

// step advances one alert (nil = not tracked) by one reading at now. It returns the
// next state (nil = stop tracking) and what happened. Unknown readings change nothing:
// "no data" is neither a breach nor a recovery.
func step(cur *Alert, rd reading, f Figure, p policy, now time.Time) (*Alert, []EventKind) {
	if !rd.known {
		return cur, nil
	}
	lvl := level(f, rd.value, rd.limits)
	breaching := lvl == Crit || lvl == Warn && p.minLevel == Warn
	if cur == nil {
		if !breaching {
			return nil, nil
		}
		cur = &Alert{Status: Pending, BreachSince: now}
	} else {
		next := *cur
		cur = &next
	}
	cur.Name, cur.Skills, cur.Value, cur.Target = rd.name, rd.skills, rd.value, rd.target
	if breaching {
		cur.Level, cur.BackSince = lvl, time.Time{}
		cur.Threshold = rd.limits.Warn
		if lvl == Crit {
			cur.Threshold = rd.limits.Crit
		}
	}
	var events []EventKind
	switch {
	case !breaching && cur.Status == Pending:
		return nil, nil // never shown: nothing to clear
	case !breaching:
		if cur.BackSince.IsZero() {
			cur.BackSince = now
		}
		if now.Sub(cur.BackSince) >= p.clearAfter {
			return nil, []EventKind{EventClear}
		}
	case cur.Status == Pending && now.Sub(cur.BreachSince) >= p.forDur:
		cur.Status, cur.RaisedAt = Raised, now
		events = append(events, EventRaise)
	}
	if cur.Status == Raised && cur.Ack == nil && cur.BackSince.IsZero() && p.escalateAfter > 0 && now.Sub(cur.RaisedAt) >= p.escalateAfter {
		cur.Status, cur.EscalatedAt = Escalated, now
		events = append(events, EventEscalate)
	}
	return cur, events
}
