package simulator

import (
	"hash/fnv"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// step is the simulation's fixed time step.
const step = time.Second

// Behaviour figures. They are plausible, not measured: the point is a floor whose
// numbers move like a real one's (queues at peaks and surges, breaks at lunch).
const (
	transferProb = 0.04 // a finished contact is moved to another skill instead
	switchProb   = 0.25 // a Comm100 visitor who gives up leaves a message instead
	missProb     = 0.02 // a Comm100 agent lets an offered chat time out
	inviteProb   = 0.05 // a Comm100 chat came from a proactive invitation
	returnProb   = 0.12 // visitor chatted before
	rateProb     = 0.30 // visitor leaves a score 1–5
	surgeProb    = 1.0 / (4 * 3600)
	lunchProb    = 1.0 / 5400 // spread lunches over the 11:30–14:30 window
	breakProb    = 1.0 / (2.5 * 3600)
)

// stepOnce advances the world by one step. Order matters for determinism and is
// fixed: day roll-over, conversations ending, presence, arrivals, abandons, routing,
// accounting, pruning.
func (w *World) stepOnce() {
	w.Now = w.Now.Add(step)
	if d := midnight(w.Now.In(w.loc)); !d.Equal(w.day) {
		w.newDay(d)
	}
	for _, a := range w.Agents {
		w.finishContacts(a)
	}
	for _, a := range w.Agents {
		w.presence(a)
	}
	w.arrivals()
	w.abandons()
	w.route()
	w.account()
	if cut := w.Now.Add(-eventRetention); len(w.Events) > 0 && w.Events[0].At.Before(cut) {
		w.Events = w.EventsSince(cut)
	}
}

func (w *World) newDay(d time.Time) {
	w.day = d
	w.Today = map[Vendor]*DayStats{}
	for _, a := range w.Agents {
		a.HandledToday = 0
		a.ChatTimeToday = 0
		a.StatusTimeToday = [4]time.Duration{}
		a.ReasonTimeToday = nil
	}
}

// finishContacts closes (or transfers) the agent's contacts whose time is up.
func (w *World) finishContacts(a *Agent) {
	kept := a.Open[:0]
	for _, c := range a.Open {
		if w.Now.Before(c.Ends) {
			kept = append(kept, c)
			continue
		}
		a.HandledToday++
		dur := w.Now.Sub(c.AnsweredAt)
		if to := w.transferTarget(c); to != nil {
			w.log(Event{Kind: EventTransferred, Vendor: c.Vendor, Skill: c.Skill, ToSkill: to.ID,
				Channel: c.Channel, Agent: a.ID, Contact: c.ID, Duration: dur})
			w.today(c.Vendor).Transferred++
			w.totals(c.Vendor).Transferred++
			c.FromSkill, c.Skill, c.Transfers, c.Agent = c.Skill, to.ID, c.Transfers+1, ""
			w.enqueue(c)
			continue
		}
		d := w.today(c.Vendor)
		d.Closed++
		d.ChatTimeSum += dur
		rating := 0
		if w.rng.Float64() < rateProb {
			rating = score(w.rng.Float64())
			d.ScoreSum += rating
			d.ScoreCount++
		}
		w.log(Event{Kind: EventClosed, Vendor: c.Vendor, Skill: c.Skill, Channel: c.Channel,
			Agent: a.ID, Contact: c.ID, Duration: dur, Score: rating})
	}
	clear(a.Open[len(kept):])
	a.Open = kept
}

// transferTarget picks another skill of the same vendor and channel for a transfer, or
// nil (most contacts are not transferred, and each at most once).
func (w *World) transferTarget(c *Contact) *Skill {
	if c.Transfers > 0 || w.rng.Float64() >= transferProb {
		return nil
	}
	var cands []*Skill
	for _, s := range w.Skills {
		if s.Vendor == c.Vendor && s.ID != c.Skill && s.Serves(c.Channel) {
			cands = append(cands, s)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[w.rng.IntN(len(cands))]
}

func score(x float64) int {
	switch {
	case x < 0.45:
		return 5
	case x < 0.75:
		return 4
	case x < 0.88:
		return 3
	case x < 0.95:
		return 2
	default:
		return 1
	}
}

// inShift reports whether local time t falls in the agent's shift (night shifts run
// past midnight).
func (a *Agent) inShift(t time.Time) bool {
	off := t.Sub(midnight(t))
	return (off >= a.ShiftStart && off < a.ShiftEnd) ||
		(off+24*time.Hour >= a.ShiftStart && off+24*time.Hour < a.ShiftEnd)
}

func (w *World) setStatus(a *Agent, st Status, reason string) {
	if a.Status == st && a.ReasonID == reason {
		return
	}
	since := w.Now
	if a.Since.IsZero() && st != StatusOffline {
		// The floor existed before the simulation began: an agent found logged in at
		// the first step has been in that state for a while, not since exactly then
		// (otherwise every agent would show the same time in state on the wall). The
		// offset comes from the agent's id, not the floor's random stream, so adding it
		// changes nothing else that happens on a given seed.
		h := fnv.New32a()
		h.Write([]byte(a.ID))
		since = since.Add(-time.Duration(h.Sum32()%5400) * time.Second)
	}
	a.Status, a.ReasonID, a.Since = st, reason, since
}

// plainAway is the reason id of a plain away: Comm100's system status, none on LP.
func plainAway(v Vendor) string {
	if v == VendorComm100 {
		return Comm100SystemAway
	}
	return ""
}

// presence runs the agent's shift and breaks.
func (w *World) presence(a *Agent) {
	local := w.Now.In(w.loc)
	if !a.inShift(local) {
		switch {
		case a.Status == StatusOffline:
		case len(a.Open) == 0:
			w.setStatus(a, StatusOffline, "")
			a.leaving, a.breakUntil = false, time.Time{}
		case !a.leaving:
			// Finish what is open, take nothing new.
			a.leaving, a.breakUntil = true, time.Time{}
			w.setStatus(a, StatusAway, plainAway(a.Vendor))
		}
		return
	}
	if a.Status == StatusOffline {
		a.lunched, a.leaving, a.breakUntil = false, false, time.Time{}
		w.setStatus(a, StatusOnline, "")
		return
	}
	if a.Status != StatusOnline {
		if !w.Now.Before(a.breakUntil) {
			a.breakUntil = time.Time{}
			w.setStatus(a, StatusOnline, "")
		}
		return
	}
	h := float64(local.Hour()) + float64(local.Minute())/60
	worked := local.Sub(midnight(local)) - a.ShiftStart
	if !a.lunched && h >= 11.5 && h < 14.5 && worked >= 2*time.Hour && w.rng.Float64() < lunchProb {
		a.lunched = true
		w.startBreak(a, StatusAway, w.reasonNamed(a.Vendor, "Lunch"), w.between(30*time.Minute, 45*time.Minute))
		return
	}
	if w.rng.Float64() >= breakProb {
		return
	}
	switch x := w.rng.Float64(); {
	case x < 0.2:
		w.startBreak(a, StatusAway, w.reasonNamed(a.Vendor, "Meeting"), w.between(15*time.Minute, 30*time.Minute))
	case x < 0.3:
		w.startBreak(a, StatusAway, w.reasonNamed(a.Vendor, "Training"), w.between(30*time.Minute, 60*time.Minute))
	case a.Vendor == VendorLivePerson && x < 0.65:
		w.startBreak(a, StatusBackSoon, "", w.between(2*time.Minute, 8*time.Minute))
	default:
		w.startBreak(a, StatusAway, plainAway(a.Vendor), w.between(2*time.Minute, 10*time.Minute))
	}
}

func (w *World) startBreak(a *Agent, st Status, reason string, d time.Duration) {
	a.breakUntil = w.Now.Add(d)
	w.setStatus(a, st, reason)
}

func (w *World) reasonNamed(v Vendor, name string) string {
	for _, r := range w.Reasons {
		if r.Vendor == v && r.Name == name {
			return r.ID
		}
	}
	return plainAway(v)
}

// arrivals starts and ends surges and adds new contacts to the queues.
func (w *World) arrivals() {
	for _, sk := range w.Skills {
		if sk.Surge > 1 && !w.Now.Before(sk.SurgeUntil) {
			sk.Surge, sk.SurgeUntil = 1, time.Time{}
		}
		if sk.Surge == 1 && w.rng.Float64() < surgeProb {
			sk.Surge = 1.8 + 1.2*w.rng.Float64()
			sk.SurgeUntil = w.Now.Add(w.between(10*time.Minute, 30*time.Minute))
		}
		for _, ch := range sk.Channels {
			for range w.poisson(w.ArrivalRate(sk, ch)) {
				c := &Contact{ID: guid(w.rng), VisitorID: guid(w.rng), Vendor: sk.Vendor,
					Skill: sk.ID, Channel: ch, Started: w.Now}
				c.Returning = w.rng.Float64() < returnProb
				c.Invited = sk.Vendor == VendorComm100 && w.rng.Float64() < inviteProb
				w.today(sk.Vendor).Requests++
				w.enqueue(c)
			}
		}
	}
}

// enqueue puts a new or transferred contact at the back of its skill's queue.
func (w *World) enqueue(c *Contact) {
	c.Arrived = w.Now
	if c.Channel == snapshot.Messaging {
		c.Patience = w.expDur(5*time.Minute, 40*time.Minute, 4*time.Hour)
	} else {
		c.Patience = w.expDur(15*time.Second, 150*time.Second, 20*time.Minute)
	}
	w.today(c.Vendor).Offered++
	w.totals(c.Vendor).Offered++
	w.Waiting = append(w.Waiting, c)
	w.log(Event{Kind: EventArrived, Vendor: c.Vendor, Skill: c.Skill, Channel: c.Channel, Contact: c.ID, Transfer: c.Transfers > 0})
}

// abandons removes contacts whose patience ran out.
func (w *World) abandons() {
	kept := w.Waiting[:0]
	for _, c := range w.Waiting {
		wait := w.Now.Sub(c.Arrived)
		if wait < c.Patience {
			kept = append(kept, c)
			continue
		}
		kind := EventAbandoned
		if c.Vendor == VendorComm100 && w.rng.Float64() < switchProb {
			kind = EventSwitched
			w.today(c.Vendor).Switched++
			w.totals(c.Vendor).Switched++
		} else {
			w.today(c.Vendor).Abandoned++
			w.totals(c.Vendor).Abandoned++
		}
		w.log(Event{Kind: kind, Vendor: c.Vendor, Skill: c.Skill, Channel: c.Channel, Contact: c.ID, Wait: wait})
	}
	clear(w.Waiting[len(kept):])
	w.Waiting = kept
}

// route offers waiting contacts, oldest first, to the least-loaded online agent of
// the skill with a free slot (longest idle first on ties).
func (w *World) route() {
	kept := w.Waiting[:0]
	for _, c := range w.Waiting {
		a := w.pickAgent(c)
		if a == nil {
			kept = append(kept, c)
			continue
		}
		a.lastAssigned = w.Now
		if c.Vendor == VendorComm100 && w.rng.Float64() < missProb {
			w.today(c.Vendor).Missed++
			w.log(Event{Kind: EventMissed, Vendor: c.Vendor, Skill: c.Skill, Channel: c.Channel, Agent: a.ID, Contact: c.ID})
			kept = append(kept, c)
			continue
		}
		w.answer(a, c)
	}
	clear(w.Waiting[len(kept):])
	w.Waiting = kept
}

func (w *World) pickAgent(c *Contact) *Agent {
	var best *Agent
	for _, a := range w.Agents {
		if a.Vendor != c.Vendor || a.Status != StatusOnline || len(a.Open) >= a.MaxChats || !a.Serves(c.Skill) {
			continue
		}
		if best == nil || less(a, best) {
			best = a
		}
	}
	return best
}

// less orders routing candidates: lower load, then longer idle.
func less(a, b *Agent) bool {
	la, lb := len(a.Open)*b.MaxChats, len(b.Open)*a.MaxChats // compare Open/Max without floats
	if la != lb {
		return la < lb
	}
	return a.lastAssigned.Before(b.lastAssigned)
}

func (w *World) answer(a *Agent, c *Contact) {
	wait := w.Now.Sub(c.Arrived)
	c.Agent, c.AnsweredAt = a.ID, w.Now
	if c.Channel == snapshot.Messaging {
		c.Ends = w.Now.Add(w.expDur(5*time.Minute, 20*time.Minute, 2*time.Hour))
	} else {
		c.Ends = w.Now.Add(w.expDur(2*time.Minute, 6*time.Minute, 40*time.Minute))
	}
	c.ResponseTime = w.expDur(3*time.Second, 20*time.Second, 3*time.Minute)
	a.Open = append(a.Open, c)
	d := w.today(c.Vendor)
	d.Answered++
	d.WaitSum += wait
	d.ResponseSum += c.ResponseTime
	if c.Invited {
		d.Invitations++
	}
	if !c.Returning {
		d.UniqueChats++
	}
	w.totals(c.Vendor).Answered++
	w.log(Event{Kind: EventAnswered, Vendor: c.Vendor, Skill: c.Skill, Channel: c.Channel,
		Agent: a.ID, Contact: c.ID, Wait: wait, Response: c.ResponseTime, Invited: c.Invited, Unique: !c.Returning})
}

// account adds this step to the agents' and vendors' time-based figures.
func (w *World) account() {
	for _, a := range w.Agents {
		w.recordSpan(a)
		a.StatusTimeToday[a.Status] += step
		if a.Status == StatusAway && a.ReasonID != "" {
			if a.ReasonTimeToday == nil {
				a.ReasonTimeToday = map[string]time.Duration{}
			}
			a.ReasonTimeToday[a.ReasonID] += step
		}
		if len(a.Open) > 0 {
			a.ChatTimeToday += step
		}
		if a.Status == StatusOnline {
			d := w.today(a.Vendor)
			d.SlotTime += time.Duration(a.MaxChats) * step
			d.BusySlotTime += time.Duration(len(a.Open)) * step
		}
	}
}
