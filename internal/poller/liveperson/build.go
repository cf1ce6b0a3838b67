package liveperson

import (
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpBuild accumulates one LivePerson poll: every method's parser writes what it
// knows into it, later methods only fill what earlier ones left unknown unless they
// are the authoritative source for a figure, and part() turns it into a snapshot.Part.
type lpBuild struct {
	source    string
	timeframe int // minutes covered by window figures (Handled, AbandonRate, ...)
	interval  int // minutes of the OpRT queue-health interval
	now       time.Time
	// dayStart is the latest daily reset; dayMinutes the whole minutes since it
	// (1..1440), the timeframe of the day requests.
	dayStart   time.Time
	dayMinutes int
	today      snapshot.Today

	skills  map[string]*lpSkill
	agents  map[string]*lpAgent
	names   map[string]string // skill id -> name (account config wins)
	reasons map[string]string // away reason id -> text

	// Handled per agent id, by channel. Kept apart from agents: an agent who
	// handled chats earlier but has no current state is not on the board.
	chatHandled, msgHandled map[string]snapshot.Opt[int64]

	// activity per agent id (agentactivity), attached to agents the board lists.
	activity map[string]*snapshot.Activity

	chatWaiting, msgWaiting snapshot.Opt[int64] // account totals
	msgOngoing              snapshot.Opt[int64]
}

type lpSkill struct {
	chat, msg *snapshot.Queue
	agents    *snapshot.StateCounts // from KMM metrics when no agent list covers the skill
}

type lpAgent struct {
	a         snapshot.Agent
	reasonID  lpID
	kmmClosed snapshot.Opt[int64]
}

func newLPBuild(source string, timeframe, interval int, now time.Time) *lpBuild {
	return &lpBuild{source: source, timeframe: timeframe, interval: interval, now: now,
		skills: map[string]*lpSkill{}, agents: map[string]*lpAgent{},
		names: map[string]string{}, reasons: map[string]string{},
		chatHandled: map[string]snapshot.Opt[int64]{}, msgHandled: map[string]snapshot.Opt[int64]{},
		activity: map[string]*snapshot.Activity{}}
}

func (b *lpBuild) skill(id string) *lpSkill {
	s := b.skills[id]
	if s == nil {
		s = &lpSkill{}
		b.skills[id] = s
	}
	return s
}

// chat returns the skill's chat queue, creating it: a skill that OpRT reports on
// serves chat.
func (b *lpBuild) chat(id string) *snapshot.Queue {
	s := b.skill(id)
	if s.chat == nil {
		s.chat = &snapshot.Queue{Channel: snapshot.Chat}
	}
	return s.chat
}

// msg returns the skill's messaging queue, creating it.
func (b *lpBuild) msg(id string) *snapshot.Queue {
	s := b.skill(id)
	if s.msg == nil {
		s.msg = &snapshot.Queue{Channel: snapshot.Messaging}
	}
	return s.msg
}

func (b *lpBuild) agent(id string) *lpAgent {
	a := b.agents[id]
	if a == nil {
		a = &lpAgent{a: snapshot.Agent{ID: id, Source: b.source, Key: snapshot.Key(b.source, id), State: snapshot.Unknown}}
		b.agents[id] = a
	}
	return a
}

// nameSkill records a name from a data answer unless account config named it.
func (b *lpBuild) nameSkill(id, name string) {
	if name != "" && name != "NA" && b.names[id] == "" {
		b.names[id] = name
	}
}

// setWindowWait puts an average wait measured over minutes into the matching field;
// a window the model has no field for is dropped rather than mislabelled.
func setWindowWait(q *snapshot.Queue, minutes int, d snapshot.Opt[time.Duration]) {
	switch minutes {
	case 30:
		fill(&q.AvgWait30m, d)
	case 60:
		fill(&q.AvgWait60m, d)
	}
}

// fill sets *dst to v when *dst is unknown.
func fill[T any](dst *snapshot.Opt[T], v snapshot.Opt[T]) {
	if !dst.Known() {
		*dst = v
	}
}

// override sets *dst to v when v is known.
func override[T any](dst *snapshot.Opt[T], v snapshot.Opt[T]) {
	if v.Known() {
		*dst = v
	}
}

// part assembles the snapshot part.
func (b *lpBuild) part() snapshot.Part {
	p := snapshot.Part{Source: b.source, Skills: []snapshot.Skill{}, Agents: []snapshot.Agent{}}
	for id, s := range b.skills {
		if s.chat == nil && s.msg == nil {
			continue
		}
		sk := snapshot.Skill{Key: snapshot.Key(b.source, id), ID: id, Source: b.source, Name: b.names[id]}
		if sk.Name == "" {
			sk.Name = id
		}
		if s.chat != nil {
			sk.Queues = append(sk.Queues, *s.chat)
		}
		if s.msg != nil {
			sk.Queues = append(sk.Queues, *s.msg)
		}
		if s.agents != nil {
			sk.Agents = *s.agents
		}
		p.Skills = append(p.Skills, sk)
	}
	var loggedIn int64
	for _, la := range b.agents {
		a := la.a
		if la.reasonID.known() && (a.State == snapshot.Away || a.State == snapshot.BackSoon) {
			a.Reason = b.reasons[string(la.reasonID)]
		}
		msg := b.msgHandled[a.ID]
		fill(&msg, la.kmmClosed)
		a.HandledToday = sumOpt(b.chatHandled[a.ID], msg)
		a.Activity = b.activity[a.ID]
		if a.State != snapshot.Offline {
			loggedIn++
		}
		p.Agents = append(p.Agents, a)
	}
	acct := snapshot.Account{Source: b.source, Today: b.today}
	acct.Today.Since = b.dayStart
	acct.RightNow.QueueLength = sumOpt(b.chatWaiting, b.msgWaiting)
	acct.RightNow.Ongoing = b.msgOngoing
	if len(b.agents) > 0 {
		acct.RightNow.LoggedInAgents = snapshot.Some(loggedIn)
	}
	p.Accounts = []snapshot.Account{acct}
	return p
}

// sumOpt adds the known values; unknown when none is known.
func sumOpt(vs ...snapshot.Opt[int64]) snapshot.Opt[int64] {
	var sum int64
	known := false
	for _, v := range vs {
		if n, ok := v.Get(); ok {
			sum += n
			known = true
		}
	}
	if !known {
		return snapshot.None[int64]()
	}
	return snapshot.Some(sum)
}
