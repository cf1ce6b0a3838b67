package history

import (
	"slices"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// layout is the structure of a snapshot: what a keyframe writes once and delta frames
// assume. Any change to it (a skill added, an agent renamed) starts a new keyframe.
type layout struct {
	sources  []sourceLayout
	accounts []string // account sources
	skills   []skillLayout
	agents   []agentLayout

	// agentCells is an agent's width: cellsAgent, or cellsAgentV1 in older frames.
	agentCells int
	// Cell offsets, computed by index.
	accountOff, agentOff, total int
	skillOff                    []int // start of each skill's cells
}

type sourceLayout struct{ id, kind string }

type skillLayout struct {
	key, id, source, name string
	channels              []snapshot.Channel
}

type agentLayout struct {
	key, id, source, name string
	skills                []string
}

func layoutOf(s *snapshot.Snapshot) *layout {
	l := &layout{
		sources:  make([]sourceLayout, len(s.Sources)),
		accounts: make([]string, len(s.Accounts)),
		skills:   make([]skillLayout, len(s.Skills)),
		agents:   make([]agentLayout, len(s.Agents)),
	}
	for i, src := range s.Sources {
		l.sources[i] = sourceLayout{src.ID, src.Kind}
	}
	for i, a := range s.Accounts {
		l.accounts[i] = a.Source
	}
	for i, sk := range s.Skills {
		chs := make([]snapshot.Channel, len(sk.Queues))
		for j, q := range sk.Queues {
			chs[j] = q.Channel
		}
		l.skills[i] = skillLayout{sk.Key, sk.ID, sk.Source, sk.Name, chs}
	}
	for i, a := range s.Agents {
		l.agents[i] = agentLayout{a.Key, a.ID, a.Source, a.Name, slices.Clone(a.Skills)}
	}
	l.index()
	return l
}

// index computes the cell offsets.
func (l *layout) index() {
	n := cellsHead + cellsSource*len(l.sources)
	l.accountOff = n
	n += cellsAccount * len(l.accounts)
	l.skillOff = make([]int, len(l.skills)+1)
	for i, sk := range l.skills {
		l.skillOff[i] = n
		n += cellsQueue*len(sk.channels) + cellsCounts
	}
	l.skillOff[len(l.skills)] = n
	l.agentOff = n
	if l.agentCells == 0 {
		l.agentCells = cellsAgent
	}
	l.total = n + l.agentCells*len(l.agents)
}

// matches reports whether s has exactly this layout.
func (l *layout) matches(s *snapshot.Snapshot) bool {
	if len(s.Sources) != len(l.sources) || len(s.Accounts) != len(l.accounts) ||
		len(s.Skills) != len(l.skills) || len(s.Agents) != len(l.agents) {
		return false
	}
	for i, src := range s.Sources {
		if l.sources[i] != (sourceLayout{src.ID, src.Kind}) {
			return false
		}
	}
	for i, a := range s.Accounts {
		if l.accounts[i] != a.Source {
			return false
		}
	}
	for i, sk := range s.Skills {
		ls := &l.skills[i]
		if ls.key != sk.Key || ls.id != sk.ID || ls.source != sk.Source || ls.name != sk.Name || len(ls.channels) != len(sk.Queues) {
			return false
		}
		for j, q := range sk.Queues {
			if ls.channels[j] != q.Channel {
				return false
			}
		}
	}
	for i, a := range s.Agents {
		la := &l.agents[i]
		if la.key != a.Key || la.id != a.ID || la.source != a.Source || la.name != a.Name || !slices.Equal(la.skills, a.Skills) {
			return false
		}
	}
	return true
}

// skillIndex returns the position of the skill with key, or -1.
func (l *layout) skillIndex(key string) int {
	for i := range l.skills {
		if l.skills[i].key == key {
			return i
		}
	}
	return -1
}

// queueCell returns the cell of figure m (0..cellsQueue-1) of skill i on channel ch
// (empty = the skill's first channel), or -1.
func (l *layout) queueCell(i int, ch snapshot.Channel, m int) int {
	for j, c := range l.skills[i].channels {
		if ch == "" || c == ch {
			return l.skillOff[i] + j*cellsQueue + m
		}
	}
	return -1
}

// countCell returns the cell of the count of agents in state k (index in
// snapshot.States) for skill i.
func (l *layout) countCell(i, k int) int {
	return l.skillOff[i+1] - cellsCounts + k
}
