package simulator

import (
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Truth is the simulated floor at one instant, as tests and demos compare connectors
// against. Durations are whole seconds (the simulation's step; average waits are
// rounded to the second, the grain the vendor APIs report).
type Truth struct {
	Now      time.Time      `json:"now"`
	Skills   []SkillTruth   `json:"skills"`
	Agents   []AgentTruth   `json:"agents"`
	Accounts []AccountTruth `json:"accounts"`
}

// SkillTruth is one skill (Comm100 department) summed over its channels, with the
// per-channel figures in Queues.
type SkillTruth struct {
	Vendor   Vendor             `json:"vendor"`
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Channels []snapshot.Channel `json:"channels"`
	QueueTruth
	// Agents counts the agents serving the skill by normalized state.
	Agents snapshot.StateCounts `json:"agents"`
	Queues []QueueTruth         `json:"queues"`
}

// QueueTruth holds one skill's queue figures (for one channel, or all of them).
type QueueTruth struct {
	Channel     snapshot.Channel `json:"channel,omitempty"`
	Waiting     int              `json:"waiting"`
	LongestWait time.Duration    `json:"longestWait"`
	Ongoing     int              `json:"ongoing"`
	// Answered30m, Abandoned30m and Switched30m count events in the last 30 minutes
	// (Abandoned excludes Comm100 visitors who switched to a message).
	Answered30m  int `json:"answered30m"`
	Abandoned30m int `json:"abandoned30m"`
	Switched30m  int `json:"switched30m"`
	// AvgWait30m/60m average the wait of contacts answered in the window; zero when
	// none were.
	AvgWait30m  time.Duration `json:"avgWait30m"`
	AvgWait60m  time.Duration `json:"avgWait60m"`
	Answered60m int           `json:"answered60m"`
	// Waits30m are the answer waits of the last 30 minutes, oldest first (service level).
	Waits30m []time.Duration `json:"waits30m"`
}

// AgentTruth is one agent now.
type AgentTruth struct {
	Vendor Vendor              `json:"vendor"`
	ID     string              `json:"id"`
	Name   string              `json:"name"`
	State  snapshot.AgentState `json:"state"`
	// Reason is the away reason a board shows ("Lunch"); empty for a plain away.
	Reason       string    `json:"reason,omitempty"`
	Since        time.Time `json:"since"`
	Open         int       `json:"open"`
	MaxChats     int       `json:"maxChats"`
	Skills       []string  `json:"skills"`
	HandledToday int       `json:"handledToday"`
}

// AccountTruth is one vendor's account-level figures.
type AccountTruth struct {
	Vendor   Vendor   `json:"vendor"`
	Today    DayStats `json:"today"`
	Totals   Totals   `json:"totals"`
	LoggedIn int      `json:"loggedIn"`
	InChat   int      `json:"inChat"`
	Ongoing  int      `json:"ongoing"`
	Waiting  int      `json:"waiting"`
}

// Truth returns the ground truth at the current simulated time.
func (s *Simulator) Truth() Truth {
	var t Truth
	s.View(func(w *World) { t = w.Truth() })
	return t
}

// Truth computes the ground truth of w.
func (w *World) Truth() Truth {
	t := Truth{Now: w.Now}
	for _, sk := range w.Skills {
		st := SkillTruth{Vendor: sk.Vendor, ID: sk.ID, Name: sk.Name,
			Channels: append([]snapshot.Channel(nil), sk.Channels...)}
		st.QueueTruth = w.QueueFigures(sk.ID, "")
		for _, ch := range sk.Channels {
			st.Queues = append(st.Queues, w.QueueFigures(sk.ID, ch))
		}
		for _, a := range w.Agents {
			if a.Serves(sk.ID) {
				st.Agents.Add(a.State())
			}
		}
		t.Skills = append(t.Skills, st)
	}
	for _, a := range w.Agents {
		t.Agents = append(t.Agents, AgentTruth{
			Vendor: a.Vendor, ID: a.ID, Name: a.Name, State: a.State(), Reason: w.ReasonText(a),
			Since: a.Since, Open: len(a.Open), MaxChats: a.MaxChats,
			Skills: append([]string(nil), a.Skills...), HandledToday: a.HandledToday,
		})
	}
	for _, v := range []Vendor{VendorComm100, VendorLivePerson} {
		at := AccountTruth{Vendor: v, Today: *w.today(v), Totals: *w.totals(v)}
		for _, a := range w.AgentsOf(v) {
			if a.Status != StatusOffline {
				at.LoggedIn++
			}
			if len(a.Open) > 0 {
				at.InChat++
			}
			at.Ongoing += len(a.Open)
		}
		for _, c := range w.Waiting {
			if c.Vendor == v {
				at.Waiting++
			}
		}
		t.Accounts = append(t.Accounts, at)
	}
	return t
}

// ReasonText is the away reason a board shows for a: the custom reason's name, empty
// for a plain away and for agents who are not away.
func (w *World) ReasonText(a *Agent) string {
	if a.Status != StatusAway || a.ReasonID == "" {
		return ""
	}
	if r := w.Reason(a.ReasonID); r != nil && !r.System {
		return r.Name
	}
	return ""
}

// QueueFigures computes a skill's queue figures now; an empty channel means all.
func (w *World) QueueFigures(skill string, ch snapshot.Channel) QueueTruth {
	q := QueueTruth{Channel: ch, Waits30m: []time.Duration{}}
	for _, c := range w.WaitingIn(skill, string(ch)) {
		q.Waiting++
		q.LongestWait = max(q.LongestWait, w.Now.Sub(c.Arrived))
	}
	q.Ongoing = len(w.Ongoing(skill, string(ch)))
	from30, from60 := w.Now.Add(-30*time.Minute), w.Now.Add(-60*time.Minute)
	var sum30, sum60 time.Duration
	// Windows are (now-30m, now]: an event exactly 30 minutes old has left the window.
	for _, e := range w.EventsSince(from60) {
		if e.Skill != skill || (ch != "" && e.Channel != ch) || !e.At.After(from60) {
			continue
		}
		in30 := e.At.After(from30)
		switch e.Kind {
		case EventAnswered:
			q.Answered60m++
			sum60 += e.Wait
			if in30 {
				q.Answered30m++
				sum30 += e.Wait
				q.Waits30m = append(q.Waits30m, e.Wait)
			}
		case EventAbandoned:
			if in30 {
				q.Abandoned30m++
			}
		case EventSwitched:
			if in30 {
				q.Switched30m++
			}
		}
	}
	if q.Answered30m > 0 {
		q.AvgWait30m = (sum30 / time.Duration(q.Answered30m)).Round(time.Second)
	}
	if q.Answered60m > 0 {
		q.AvgWait60m = (sum60 / time.Duration(q.Answered60m)).Round(time.Second)
	}
	return q
}
