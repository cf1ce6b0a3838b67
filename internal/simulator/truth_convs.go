package simulator

import (
	"cmp"
	"hash/fnv"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// ConvTruth is one conversation behind a skill's figures, as a drill-down should list
// it: the ground truth the LivePerson drill-down is compared against.
type ConvTruth struct {
	ID           string             `json:"id"`
	Channel      snapshot.Channel   `json:"channel"`
	State        snapshot.ConvState `json:"state"`
	WaitingSince time.Time          `json:"waitingSince"`
	Ended        time.Time          `json:"ended,omitzero"`
	// AgentID and Agent (its name) are set for assigned conversations.
	AgentID   string `json:"agentId,omitempty"`
	Agent     string `json:"agent,omitempty"`
	Transfers int    `json:"transfers"`
}

// OpenConversations returns skill's open conversations on channel ch, longest-waiting
// first: the waiting ones (exactly the skill's waiting count, oldest arrival first),
// then the assigned ones (oldest queue entry first).
func (w *World) OpenConversations(skill string, ch snapshot.Channel) []ConvTruth {
	out := []ConvTruth{}
	for _, c := range w.WaitingIn(skill, string(ch)) {
		out = append(out, ConvTruth{ID: c.ID, Channel: ch, State: snapshot.ConvWaiting, WaitingSince: c.Arrived, Transfers: c.Transfers})
	}
	var assigned []ConvTruth
	for _, c := range w.Ongoing(skill, string(ch)) {
		ct := ConvTruth{ID: c.ID, Channel: ch, State: snapshot.ConvAssigned, WaitingSince: c.Arrived,
			AgentID: c.Agent, Transfers: c.Transfers}
		if a := w.Agent(c.Agent); a != nil {
			ct.Agent = a.Name
		}
		assigned = append(assigned, ct)
	}
	byWait(out)
	byWait(assigned)
	return append(out, assigned...)
}

func byWait(cs []ConvTruth) {
	slices.SortStableFunc(cs, func(a, b ConvTruth) int {
		if c := a.WaitingSince.Compare(b.WaitingSince); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// UnansweredChats returns the chats of skill that ended unanswered in the last
// snapshot.UnansweredWindow (the window (now−30m, now]), most recent first: every
// abandoned chat, as missed or abandoned by UnansweredKind.
func (w *World) UnansweredChats(skill string) []ConvTruth {
	out := []ConvTruth{}
	from := w.Now.Add(-snapshot.UnansweredWindow)
	for _, e := range w.EventsSince(from) {
		if e.Kind != EventAbandoned || e.Channel != snapshot.Chat || e.Skill != skill || !e.At.After(from) {
			continue
		}
		out = append(out, ConvTruth{ID: e.Contact, Channel: snapshot.Chat, State: UnansweredKind(e.Contact),
			WaitingSince: e.At.Add(-e.Wait), Ended: e.At})
	}
	slices.SortStableFunc(out, func(a, b ConvTruth) int {
		if c := b.Ended.Compare(a.Ended); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// UnansweredKind says how an abandoned chat ended: one in four (by its id, not the
// floor's random stream, so serving it changes nothing) found no agent at all
// ("ACD no assignment", missed); the others saw the visitor leave (abandoned).
func UnansweredKind(contactID string) snapshot.ConvState {
	h := fnv.New32a()
	h.Write([]byte(contactID))
	if h.Sum32()%4 == 0 {
		return snapshot.ConvMissed
	}
	return snapshot.ConvAbandoned
}

// Conversations returns OpenConversations on messaging and UnansweredChats of skill,
// read under the simulator's lock.
func (s *Simulator) Conversations(skill string) (open, unanswered []ConvTruth) {
	s.View(func(w *World) {
		open = w.OpenConversations(skill, snapshot.Messaging)
		unanswered = w.UnansweredChats(skill)
	})
	return open, unanswered
}

// BusiestLivePersonSkill is the LivePerson skill with the most open messaging
// conversations now, as a snapshot skill of source (the drill-down tests' subject).
func (s *Simulator) BusiestLivePersonSkill(source string) snapshot.Skill {
	var best SkillTruth
	most := -1
	for _, sk := range s.Truth().Skills {
		open, _ := s.Conversations(sk.ID)
		if sk.Vendor == VendorLivePerson && len(open) > most {
			best, most = sk, len(open)
		}
	}
	out := snapshot.Skill{Key: source + ":" + best.ID, ID: best.ID, Source: source, Name: best.Name}
	for _, ch := range best.Channels {
		out.Queues = append(out.Queues, snapshot.Queue{Channel: ch})
	}
	return out
}
