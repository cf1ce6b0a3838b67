package simulator

import "time"

// span is one stretch of an agent's presence: from start until the next span's start
// the agent had this status, reason and number of open contacts. The engine counts
// time per step instant (account adds the state at Now), so a span covers the
// instants [start, next start).
type span struct {
	start  time.Time
	status Status
	reason string
	open   int
	slots  int
}

// recordSpan notes the agent's presence at this step when it changed, and forgets
// what lies wholly outside the event retention (the longest window any API asks).
func (w *World) recordSpan(a *Agent) {
	cur := span{start: w.Now, status: a.Status, reason: a.ReasonID, open: len(a.Open), slots: a.MaxChats}
	if n := len(a.spans); n == 0 || !sameSpan(a.spans[n-1], cur) {
		a.spans = append(a.spans, cur)
	}
	cut := w.Now.Add(-eventRetention)
	i := 0
	for i+1 < len(a.spans) && !a.spans[i+1].start.After(cut) {
		i++
	}
	if i > 0 {
		a.spans = append(a.spans[:0], a.spans[i:]...)
	}
}

func sameSpan(x, y span) bool {
	return x.status == y.status && x.reason == y.reason && x.open == y.open && x.slots == y.slots
}

// Activity is an agent's presence over a window: time per status, time away per
// reason id, time with a contact open, and capacity in use while online.
type Activity struct {
	Status   [4]time.Duration
	Reasons  map[string]time.Duration
	Chatting time.Duration
	// SlotTime and BusySlotTime are capacity × time and open contacts × time while
	// online (for utilization).
	SlotTime, BusySlotTime time.Duration
}

// LoggedIn is time in any status but offline.
func (ac Activity) LoggedIn() time.Duration {
	return ac.Status[StatusOnline] + ac.Status[StatusAway] + ac.Status[StatusBackSoon]
}

// ActivitySince returns a's presence over (from, Now], the window convention of the
// vendor APIs (an instant exactly at from has left the window). Windows reaching
// past the retention are cut to it.
func (w *World) ActivitySince(a *Agent, from time.Time) Activity {
	ac := Activity{Reasons: map[string]time.Duration{}}
	lo0, end := from.Add(step), w.Now.Add(step)
	for i, sp := range a.spans {
		hi := end
		if i+1 < len(a.spans) {
			hi = a.spans[i+1].start
		}
		lo := maxTime(sp.start, lo0)
		if !hi.After(lo) {
			continue
		}
		d := hi.Sub(lo)
		ac.Status[sp.status] += d
		if sp.status == StatusAway && sp.reason != "" {
			ac.Reasons[sp.reason] += d
		}
		if sp.open > 0 {
			ac.Chatting += d
		}
		if sp.status == StatusOnline {
			ac.SlotTime += time.Duration(sp.slots) * d
			ac.BusySlotTime += time.Duration(sp.open) * d
		}
	}
	return ac
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// DaySince computes vendor v's day figures over (from, Now] from the event log and
// the agents' presence: what the vendors' "today" answers report when the day began
// at from (a daily reset), rather than at the floor's midnight.
func (w *World) DaySince(v Vendor, from time.Time) DayStats {
	var d DayStats
	for _, e := range w.EventsSince(from) {
		if e.Vendor != v || !e.At.After(from) {
			continue
		}
		switch e.Kind {
		case EventArrived:
			d.Offered++
			if !e.Transfer {
				d.Requests++
			}
		case EventAnswered:
			d.Answered++
			d.WaitSum += e.Wait
			d.ResponseSum += e.Response
			if e.Invited {
				d.Invitations++
			}
			if e.Unique {
				d.UniqueChats++
			}
		case EventAbandoned:
			d.Abandoned++
		case EventSwitched:
			d.Switched++
		case EventMissed:
			d.Missed++
		case EventTransferred:
			d.Transferred++
		case EventClosed:
			d.Closed++
			d.ChatTimeSum += e.Duration
			if e.Score > 0 {
				d.ScoreSum += e.Score
				d.ScoreCount++
			}
		}
	}
	for _, a := range w.AgentsOf(v) {
		ac := w.ActivitySince(a, from)
		d.SlotTime += ac.SlotTime
		d.BusySlotTime += ac.BusySlotTime
	}
	return d
}

// HandledSince counts the contacts agent id finished (closed or transferred on) in
// (from, Now]: Agent.HandledToday for a day that began at from.
func (w *World) HandledSince(id string, from time.Time) int {
	n := 0
	for _, e := range w.EventsSince(from) {
		if e.Agent == id && e.At.After(from) && (e.Kind == EventClosed || e.Kind == EventTransferred) {
			n++
		}
	}
	return n
}
