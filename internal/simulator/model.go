package simulator

import (
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Vendor says which vendor API a skill, agent or contact belongs to. One engine drives
// both vendors' floors; the HTTP side shows each vendor only its own part.
type Vendor string

// Vendors. VendorAll is only meaningful for faults.
const (
	VendorComm100    Vendor = "comm100"
	VendorLivePerson Vendor = "liveperson"
	VendorAll        Vendor = "all"
)

// Status is an agent's presence as the vendor would store it (before normalization
// into snapshot.AgentState, which also looks at free slots).
type Status int

// Agent statuses. BackSoon exists on LivePerson only.
const (
	StatusOffline Status = iota
	StatusOnline
	StatusAway
	StatusBackSoon
)

// String returns the status name, used in logs and test messages.
func (st Status) String() string {
	switch st {
	case StatusOnline:
		return "online"
	case StatusAway:
		return "away"
	case StatusBackSoon:
		return "backsoon"
	default:
		return "offline"
	}
}

// Skill is a Comm100 department or a LivePerson skill: a queue contacts wait in.
// IDs are unique across vendors (GUIDs for Comm100, numeric strings for LivePerson).
type Skill struct {
	Vendor   Vendor
	ID       string
	Name     string
	Channels []snapshot.Channel
	// SLATarget is the answer-time threshold service level is measured against.
	SLATarget time.Duration
	// Weight is this skill's share of its vendor's arrivals.
	Weight float64
	// Surge multiplies arrivals until SurgeUntil (1 outside a surge).
	Surge      float64
	SurgeUntil time.Time
}

// Serves reports whether the skill takes contacts on channel ch.
func (sk *Skill) Serves(ch snapshot.Channel) bool {
	for _, c := range sk.Channels {
		if c == ch {
			return true
		}
	}
	return false
}

// Reason is an away reason: a Comm100 away status (system "Away" or a custom one) or a
// LivePerson status reason.
type Reason struct {
	Vendor Vendor
	ID     string
	Name   string
	// System marks the vendor's built-in plain "Away" (no reason shown on a board).
	System bool
	Order  int
}

// Agent is one agent of either vendor.
type Agent struct {
	Vendor    Vendor
	ID        string
	Name      string
	FirstName string
	LastName  string
	Email     string
	// Skills holds skill IDs, primary skill first.
	Skills   []string
	MaxChats int
	Status   Status
	// ReasonID names a Reason while Away (Comm100: always set; LivePerson: may be
	// empty for a plain away). Empty otherwise.
	ReasonID string
	// Since is when the agent entered Status (or changed reason).
	Since time.Time
	// Open holds the contacts the agent is serving now.
	Open []*Contact
	// HandledToday counts contacts the agent finished (closed or transferred) today.
	HandledToday int
	// ChatTimeToday is time today with at least one open contact (Comm100's
	// intradayLinearChatTime).
	ChatTimeToday time.Duration
	// StatusTimeToday is time today per status (index by Status).
	StatusTimeToday [4]time.Duration
	// ReasonTimeToday is time today Away per away reason id (plain away, with no
	// ReasonID, is not in it).
	ReasonTimeToday map[string]time.Duration
	// ShiftStart and ShiftEnd are offsets from local midnight; ShiftEnd may pass 24h
	// for a night shift.
	ShiftStart, ShiftEnd time.Duration

	// spans is the agent's presence over the last day (see activity.go).
	spans []span

	breakUntil   time.Time // end of the current break (zero when not on break)
	lunched      bool      // had lunch this shift
	leaving      bool      // shift over, finishing open contacts before logging out
	lastAssigned time.Time // for routing to the longest-idle agent
}

// Serves reports whether the agent works skill id.
func (a *Agent) Serves(id string) bool {
	for _, s := range a.Skills {
		if s == id {
			return true
		}
	}
	return false
}

// State is the agent's normalized state: online agents are Available with a free slot
// and Busy with every slot taken.
func (a *Agent) State() snapshot.AgentState {
	switch a.Status {
	case StatusOnline:
		if len(a.Open) >= a.MaxChats {
			return snapshot.Busy
		}
		return snapshot.Available
	case StatusAway:
		return snapshot.Away
	case StatusBackSoon:
		return snapshot.BackSoon
	default:
		return snapshot.Offline
	}
}

// Contact is one chat or messaging conversation, from arrival until it ends.
type Contact struct {
	ID        string
	VisitorID string
	Vendor    Vendor
	Skill     string
	Channel   snapshot.Channel
	// Arrived is when the contact joined its current queue; a transfer restarts it.
	Arrived  time.Time
	Patience time.Duration
	// Transfers counts how often the contact was moved to another skill.
	Transfers int
	// Started is when the contact first arrived (Arrived moves on a transfer), and
	// FromSkill the skill it was last transferred from ("" if never).
	Started   time.Time
	FromSkill string
	Invited   bool // came from a proactive invitation (Comm100 acceptedInvitations)
	Returning bool // visitor chatted before today (Comm100 uniqueChatRate)

	// Set when answered.
	Agent        string
	AnsweredAt   time.Time
	Ends         time.Time
	ResponseTime time.Duration // agent's first response after answering
}

// EventKind says what happened to a contact.
type EventKind int

// Event kinds.
const (
	EventArrived     EventKind = iota // joined a queue (new or transferred in)
	EventAnswered                     // an agent took it; Wait is its time in queue
	EventAbandoned                    // gave up waiting; Wait is its time in queue
	EventSwitched                     // Comm100: left a message instead of waiting
	EventTransferred                  // moved from Skill to ToSkill by an agent
	EventClosed                       // conversation ended; Duration is its length
	EventMissed                       // Comm100: offered to an agent who did not accept in time
)

// Event is one entry of the rolling event log. Windowed figures ("answered in the last
// 30 minutes") are counted from it, so they are real, not modelled.
type Event struct {
	Kind     EventKind
	At       time.Time
	Vendor   Vendor
	Skill    string
	ToSkill  string // EventTransferred only
	Channel  snapshot.Channel
	Agent    string
	Contact  string
	Wait     time.Duration
	Duration time.Duration
	// Transfer marks an EventArrived of a contact transferred in (not a new request).
	Transfer bool
	// Response is the agent's first response time after answering (EventAnswered).
	Response time.Duration
	// Invited and Unique mark an answered contact that came from an invitation and
	// one from a first-time visitor (EventAnswered).
	Invited, Unique bool
	// Score is the visitor's rating 1–5 of a closed contact, 0 for none (EventClosed).
	Score int
}

// DayStats are one vendor's figures since local midnight.
type DayStats struct {
	Requests     int // new contacts (not transfers)
	Offered      int // new contacts plus transfers in
	Answered     int
	Abandoned    int
	Switched     int
	Missed       int
	Transferred  int
	Invitations  int // answered contacts that came from an invitation
	UniqueChats  int // answered contacts from first-time visitors
	Closed       int
	WaitSum      time.Duration // over Answered
	ChatTimeSum  time.Duration // over Closed
	ResponseSum  time.Duration // over Answered
	ScoreSum     int
	ScoreCount   int
	BusySlotTime time.Duration // open contacts × time, online agents
	SlotTime     time.Duration // capacity × time, online agents
}

// Totals are one vendor's counters since the simulator started; they obey
// Offered == Answered + Abandoned + Switched + waiting now.
type Totals struct {
	Offered, Answered, Abandoned, Switched, Transferred int
}
