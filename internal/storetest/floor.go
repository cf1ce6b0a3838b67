package storetest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Floor is a deterministic synthetic contact center that changes like a real one
// between polls: queues drift, a few agents change state, sources tick. Times are
// whole milliseconds in UTC (the grain history keeps).
type Floor struct {
	snap *snapshot.Snapshot
	rng  *rand.Rand
	// day holds LivePerson agents' exact day activity by key; snapshots carry it
	// in whole minutes, the grain boards show and history keeps.
	day map[string]*snapshot.Activity
}

// NewFloor returns a floor of skills skills (every fourth also on messaging) and
// agents agents, at start.
func NewFloor(skills, agents int, start time.Time, seed uint64) *Floor {
	f := &Floor{rng: rand.New(rand.NewPCG(seed, 1)), day: map[string]*snapshot.Activity{}}
	start = start.UTC().Truncate(time.Millisecond)
	s := &snapshot.Snapshot{Version: 1, TakenAt: start}
	for _, id := range []string{"comm100", "lp"} {
		s.Sources = append(s.Sources, snapshot.SourceStatus{ID: id, Kind: id, LastSuccess: start, LastAttempt: start, NextPoll: start.Add(10 * time.Second)})
		s.Accounts = append(s.Accounts, snapshot.Account{Source: id, Today: snapshot.Today{
			Chats: snapshot.Some[int64](0), AvgWait: snapshot.Some(20 * time.Second), AvgScore: snapshot.None[float64](),
		}, RightNow: snapshot.RightNow{LoggedInAgents: snapshot.Some(int64(agents / 2)), Utilization: snapshot.Some(0.5)}})
	}
	for i := range skills {
		src := s.Sources[i%2].ID
		sk := snapshot.Skill{Key: fmt.Sprintf("%s:%d", src, 100+i), ID: fmt.Sprint(100 + i), Source: src, Name: fmt.Sprintf("Skill %d", i)}
		sk.Queues = []snapshot.Queue{f.queue(snapshot.Chat)}
		if i%4 == 3 {
			sk.Queues = append(sk.Queues, f.queue(snapshot.Messaging))
		}
		s.Skills = append(s.Skills, sk)
	}
	for i := range agents {
		src := s.Sources[i%2].ID
		a := snapshot.Agent{Key: fmt.Sprintf("%s:a%d", src, i), ID: fmt.Sprintf("a%d", i), Source: src,
			Name: fmt.Sprintf("Agent %d", i), State: snapshot.Available, Since: start,
			Load: snapshot.Some(0.0), Open: snapshot.Some[int64](0), MaxSlots: snapshot.Some[int64](3), HandledToday: snapshot.Some[int64](0)}
		for k := 0; k < 2 && skills > 0; k++ {
			a.Skills = append(a.Skills, s.Skills[(i+k*7)%skills].Key)
		}
		if src == "lp" { // LivePerson reports each agent's day so far
			zero := snapshot.Some(time.Duration(0))
			f.day[a.Key] = &snapshot.Activity{Since: start, LoggedIn: zero, Online: zero, BackSoon: zero, Away: zero, Chatting: zero}
			a.Activity = minutes(*f.day[a.Key])
		}
		s.Agents = append(s.Agents, a)
	}
	f.count(s)
	f.snap = s
	return f
}

func (f *Floor) queue(ch snapshot.Channel) snapshot.Queue {
	return snapshot.Queue{Channel: ch, Waiting: snapshot.Some(int64(f.rng.IntN(5))), LongestWait: snapshot.Some(30 * time.Second),
		AvgWait30m: snapshot.Some(25 * time.Second), AvgWait60m: snapshot.Some(28 * time.Second), Abandoned30m: snapshot.Some[int64](1),
		AbandonRate: snapshot.Some(0.05), Handled: snapshot.Some[int64](10), Ongoing: snapshot.Some[int64](4),
		ServiceLevel: snapshot.Some(0.8), ServiceLevelTarget: snapshot.Some(60 * time.Second), AvailableSlots: snapshot.Some[int64](3),
		EstimatedWait: snapshot.None[time.Duration](), Overdue: snapshot.None[int64]()}
}

// Snapshot returns the current snapshot (never modified afterwards).
func (f *Floor) Snapshot() *snapshot.Snapshot { return f.snap }

// Step advances the floor by dt and returns the new snapshot.
func (f *Floor) Step(dt time.Duration) *snapshot.Snapshot {
	old := f.snap
	now := old.TakenAt.Add(dt)
	s := &snapshot.Snapshot{Version: old.Version + 1, TakenAt: now}
	for _, src := range old.Sources {
		src.LastSuccess, src.LastAttempt, src.NextPoll = now, now, now.Add(10*time.Second)
		src.Requests += 3
		src.ConsecutiveFailures = 0
		if f.rng.IntN(50) == 0 {
			src.ConsecutiveFailures = old.Sources[len(s.Sources)].ConsecutiveFailures + 1
			src.LastError = &snapshot.SourceError{Kind: snapshot.ErrTimeout, Text: fmt.Sprintf("timeout after %ds", 5+f.rng.IntN(3)), At: now}
		}
		s.Sources = append(s.Sources, src)
	}
	for _, a := range old.Accounts {
		a.Today.Chats = snapshot.Some(a.Today.Chats.Or(0) + int64(f.rng.IntN(3)))
		a.RightNow.Utilization = snapshot.Some(float64(f.rng.IntN(1e6)) / 1e6) // history keeps ratios to 1e-6
		s.Accounts = append(s.Accounts, a)
	}
	for _, sk := range old.Skills {
		qs := make([]snapshot.Queue, len(sk.Queues))
		for j, q := range sk.Queues {
			w := max(0, q.Waiting.Or(0)+int64(f.rng.IntN(3))-1)
			q.Waiting = snapshot.Some(w)
			if w == 0 {
				q.LongestWait = snapshot.Some(time.Duration(0))
			} else {
				q.LongestWait = snapshot.Some(q.LongestWait.Or(0) + dt)
			}
			if f.rng.IntN(3) == 0 {
				q.ServiceLevel = snapshot.Some(float64(f.rng.IntN(1000)) / 1000)
				q.Handled = snapshot.Some(q.Handled.Or(0) + 1)
			}
			q.AvailableSlots = snapshot.Some(int64(f.rng.IntN(6)))
			qs[j] = q
		}
		sk.Queues = qs
		s.Skills = append(s.Skills, sk)
	}
	states := []snapshot.AgentState{snapshot.Available, snapshot.Busy, snapshot.Away, snapshot.BackSoon}
	for _, a := range old.Agents {
		// About one change per agent per ten minutes of 10 s polls.
		if f.rng.IntN(60) == 0 {
			a.State, a.Since, a.Reason = states[f.rng.IntN(len(states))], now, ""
			if a.State == snapshot.Away {
				a.Reason = "Lunch"
			}
		}
		if f.rng.IntN(4) == 0 {
			n := int64(f.rng.IntN(4))
			a.Open, a.Load = snapshot.Some(n), snapshot.Some(float64(n)/4)
		}
		if act := f.day[a.Key]; act != nil {
			dayStep(act, a, dt)
			a.Activity = minutes(*act)
		}
		s.Agents = append(s.Agents, a)
	}
	f.count(s)
	f.snap = s
	return s
}

func (f *Floor) count(s *snapshot.Snapshot) {
	idx := map[string]int{}
	for i := range s.Skills {
		s.Skills[i].Agents = snapshot.StateCounts{}
		idx[s.Skills[i].Key] = i
	}
	for _, a := range s.Agents {
		for _, k := range a.Skills {
			s.Skills[idx[k]].Agents.Add(a.State)
		}
	}
}

// dayStep adds dt in a's state to its day activity.
func dayStep(act *snapshot.Activity, a snapshot.Agent, dt time.Duration) {
	add := func(o snapshot.Opt[time.Duration]) snapshot.Opt[time.Duration] { return snapshot.Some(o.Or(0) + dt) }
	act.LoggedIn = add(act.LoggedIn)
	switch a.State {
	case snapshot.Away:
		act.Away = add(act.Away)
	case snapshot.BackSoon:
		act.BackSoon = add(act.BackSoon)
	default:
		act.Online = add(act.Online)
	}
	if a.Open.Or(0) > 0 {
		act.Chatting = add(act.Chatting)
	}
}

// minutes is a copy of act in whole minutes (a new value: snapshots are immutable).
func minutes(act snapshot.Activity) *snapshot.Activity {
	m := func(o snapshot.Opt[time.Duration]) snapshot.Opt[time.Duration] {
		return snapshot.Some(o.Or(0).Truncate(time.Minute))
	}
	act.LoggedIn, act.Online, act.BackSoon, act.Away, act.Chatting = m(act.LoggedIn), m(act.Online), m(act.BackSoon), m(act.Away), m(act.Chatting)
	return &act
}
