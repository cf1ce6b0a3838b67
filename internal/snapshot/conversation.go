package snapshot

import (
	"cmp"
	"slices"
	"time"
)

// ConvState is where one conversation behind a skill's figures stands.
type ConvState string

// Conversation states. Waiting and Assigned are open conversations (LivePerson
// Messaging Interactions IN_QUEUE / ACTIVE); Abandoned and Missed are chats that
// ended unanswered (Engagement History, classified from their start and end reasons).
const (
	ConvWaiting   ConvState = "waiting"   // in the queue, no agent
	ConvAssigned  ConvState = "assigned"  // an agent has it
	ConvAbandoned ConvState = "abandoned" // the visitor left before any agent answered
	ConvMissed    ConvState = "missed"    // the routing found no agent ("ACD no assignment")
)

// Conversation is one conversation of a skill's drill-down. Times are the vendor's
// (UTC instants); "time in queue" of an open conversation is computed by whoever
// shows it, from WaitingSince and the clock, so the list needs no re-render to tick.
type Conversation struct {
	ID      string    `json:"id"`
	Channel Channel   `json:"channel"`
	State   ConvState `json:"state"`
	// Origin is where the customer wrote from as the vendor names it (SMS, APP, Web…);
	// empty when not given.
	Origin string `json:"origin,omitempty"`
	// WaitingSince is when the conversation last entered a queue: its start, or its
	// latest transfer back to a queue.
	WaitingSince time.Time `json:"waitingSince"`
	// Ended is when an ended chat ended (zero for open conversations).
	Ended time.Time `json:"ended,omitzero"`
	// Agent is the assigned agent's name (Assigned only).
	Agent string `json:"agent,omitempty"`
	// Transfers counts the conversation's transfers (to another skill, agent or back
	// to the queue).
	Transfers int `json:"transfers"`
	// Text is the latest customer message. It is fetched only for a board with
	// show_transcripts: true; empty otherwise.
	Text string `json:"text,omitempty"`
}

// QueueTime is how long c has waited (open) or waited before it ended (ended chats)
// at now.
func (c Conversation) QueueTime(now time.Time) time.Duration {
	end := now
	if !c.Ended.IsZero() {
		end = c.Ended
	}
	return max(end.Sub(c.WaitingSince), 0)
}

// Conversations is the list behind one skill's figures at one fetch.
type Conversations struct {
	// Skill is the skill's Key.
	Skill string `json:"skill"`
	// FetchedAt is when the list was fetched; zero while the first fetch runs.
	FetchedAt time.Time `json:"fetchedAt,omitzero"`
	// Open are the skill's open conversations: waiting ones longest-waiting first,
	// then assigned ones, longest-waiting first. Nil when the skill has no
	// messaging channel.
	Open []Conversation `json:"open,omitempty"`
	// Unanswered are chats that ended unanswered in the last UnansweredWindow, most
	// recent first. Nil when the skill has no chat channel.
	Unanswered []Conversation `json:"unanswered,omitempty"`
	// Truncated is set when the vendor had more conversations than one refresh may
	// page through; the lists then hold the first pages only.
	Truncated bool `json:"truncated,omitempty"`
	// Err is a problem with the latest fetch, in words for the page: it failed (the
	// lists keep the last good fetch) or one method is not enabled on the account
	// (its list is nil); empty when all went well.
	Err string `json:"err,omitempty"`
}

// UnansweredWindow is how far back the unanswered chats of a drill-down go.
const UnansweredWindow = 30 * time.Minute

// SortOpen orders open conversations longest-waiting first: waiting ones before
// assigned ones, then by WaitingSince, then by ID so equal times keep one order.
func SortOpen(cs []Conversation) {
	rank := func(c Conversation) int {
		if c.State == ConvWaiting {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(cs, func(a, b Conversation) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), a.WaitingSince.Compare(b.WaitingSince), cmp.Compare(a.ID, b.ID))
	})
}

// SortEnded orders ended conversations most recent first (then by ID).
func SortEnded(cs []Conversation) {
	slices.SortStableFunc(cs, func(a, b Conversation) int {
		return cmp.Or(b.Ended.Compare(a.Ended), cmp.Compare(a.ID, b.ID))
	})
}

// Channels lists the channels s has queue figures for, in its Queues order.
func (s Skill) Channels() []Channel {
	out := make([]Channel, 0, len(s.Queues))
	for _, q := range s.Queues {
		out = append(out, q.Channel)
	}
	return out
}
