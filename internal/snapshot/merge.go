package snapshot

import (
	"cmp"
	"slices"
	"time"
)

// Part is what one source contributed at its last successful poll. The poller keeps
// the latest good Part of every source, so a failing source's figures stay on screen
// (marked stale through its SourceStatus) while the others move on.
type Part struct {
	Source   string
	Skills   []Skill
	Agents   []Agent
	Accounts []Account
}

// Key joins a source id and a vendor id into the model's unique key.
func Key(source, id string) string { return source + ":" + id }

// Merge assembles a new Snapshot from the latest Part of each source and every
// source's status. Version is prev.Version+1 (1 when prev is nil). Skills, agents and
// sources are sorted so that equal inputs give byte-equal JSON and renders; skill
// agent counts are derived from the agent list when the source gave agents for that
// skill, and kept as the source sent them otherwise.
func Merge(prev *Snapshot, parts []Part, statuses []SourceStatus, now time.Time) *Snapshot {
	s := &Snapshot{Version: 1, TakenAt: now}
	if prev != nil {
		s.Version = prev.Version + 1
	}
	for _, p := range parts {
		s.Skills = append(s.Skills, p.Skills...)
		s.Agents = append(s.Agents, p.Agents...)
		s.Accounts = append(s.Accounts, p.Accounts...)
	}
	s.Sources = slices.Clone(statuses)
	slices.SortFunc(s.Skills, func(a, b Skill) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(s.Agents, func(a, b Agent) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortFunc(s.Accounts, func(a, b Account) int { return cmp.Compare(a.Source, b.Source) })
	slices.SortFunc(s.Sources, func(a, b SourceStatus) int { return cmp.Compare(a.ID, b.ID) })
	if s.Skills == nil {
		s.Skills = []Skill{}
	}
	if s.Agents == nil {
		s.Agents = []Agent{}
	}
	if s.Accounts == nil {
		s.Accounts = []Account{}
	}

	counts := map[string]*StateCounts{}
	for _, a := range s.Agents {
		for _, k := range a.Skills {
			c := counts[k]
			if c == nil {
				c = &StateCounts{}
				counts[k] = c
			}
			c.Add(a.State)
		}
	}
	for i := range s.Skills {
		if c := counts[s.Skills[i].Key]; c != nil {
			s.Skills[i].Agents = *c
		}
	}
	return s
}

// Skill returns the skill with key, if present.
func (s *Snapshot) Skill(key string) (Skill, bool) {
	i, ok := slices.BinarySearchFunc(s.Skills, key, func(sk Skill, k string) int { return cmp.Compare(sk.Key, k) })
	if !ok {
		return Skill{}, false
	}
	return s.Skills[i], true
}

// AgentsOf returns the agents who serve the skill with key, in snapshot order.
func (s *Snapshot) AgentsOf(key string) []Agent {
	var out []Agent
	for _, a := range s.Agents {
		if slices.Contains(a.Skills, key) {
			out = append(out, a)
		}
	}
	return out
}

// Counts counts every agent in the snapshot by state.
func (s *Snapshot) Counts() StateCounts {
	var c StateCounts
	for _, a := range s.Agents {
		c.Add(a.State)
	}
	return c
}

// OnlineState derives Available or Busy for a logged-in, online agent from open
// conversations and concurrency limit: Busy when every slot is taken. An unknown or
// zero limit (Comm100 reports 0 for "not set") counts as one slot, the vendors'
// documented default for chat.
func OnlineState(open, maxSlots Opt[int64]) AgentState {
	o := open.Or(0)
	m := maxSlots.Or(0)
	if m <= 0 {
		m = 1
	}
	if o >= m {
		return Busy
	}
	return Available
}

// Queue returns the skill's figures for channel ch, if it has them.
func (sk Skill) Queue(ch Channel) (Queue, bool) {
	for _, q := range sk.Queues {
		if q.Channel == ch {
			return q, true
		}
	}
	return Queue{}, false
}
