package snapshot

import "time"

// Channel says how customers reach a skill.
type Channel string

// Channels a skill can serve.
const (
	Chat      Channel = "chat"      // live chat (Comm100, LivePerson Operational Realtime)
	Messaging Channel = "messaging" // asynchronous messaging (LivePerson Messaging/KMM)
)

// AgentState is the normalized state of an agent, whatever the vendor called it.
type AgentState string

// Agent states, in the order a wallboard lists them.
const (
	Available AgentState = "available" // logged in, online, has a free slot
	Busy      AgentState = "busy"      // logged in, online, every slot taken
	BackSoon  AgentState = "backsoon"  // LivePerson "Back soon" / "Back in 5"
	Away      AgentState = "away"      // away, usually with a reason
	Offline   AgentState = "offline"   // logged out
	Unknown   AgentState = "unknown"   // the vendor sent a state we do not know
)

// States lists every state in display order.
var States = []AgentState{Available, Busy, BackSoon, Away, Offline, Unknown}

// Snapshot is the whole normalized contact center at one moment. A Snapshot is
// immutable once published: producers build a new one, never edit a published one.
type Snapshot struct {
	// Version increases by one with every published snapshot.
	Version uint64 `json:"version"`
	// TakenAt is when the snapshot was assembled (server clock).
	TakenAt time.Time `json:"takenAt"`
	// Skills are sorted by Key.
	Skills []Skill `json:"skills"`
	// Agents are sorted by Key.
	Agents []Agent `json:"agents"`
	// Accounts holds account-level figures, one per source that has them.
	Accounts []Account `json:"accounts"`
	// Sources holds the health of every configured source, sorted by ID.
	Sources []SourceStatus `json:"sources"`
	// Replica is this replica's place among replicas sharing one poller (see
	// internal/cluster); nil on a single replica. Each replica stamps its own copy: it is
	// never sent between replicas.
	Replica *Replica `json:"replica,omitempty"`
}

// Replica roles.
const (
	RoleLeader   = "leader"   // holds the lease and runs the poller
	RoleFollower = "follower" // applies the leader's snapshots
)

// Replica says where a replica's snapshot came from.
type Replica struct {
	// Role is RoleLeader or RoleFollower.
	Role string `json:"role"`
	// Term is the election term of the leader that made the snapshot; Seq its number
	// within that term.
	Term uint64 `json:"term"`
	Seq  uint64 `json:"seq"`
	// ReceivedAt is when this replica got the snapshot (the leader: when it published it).
	ReceivedAt time.Time `json:"receivedAt"`
	// LinkDown is set while this replica cannot reach Redis: the snapshot is the last one
	// it got and every source in it is marked failing with ErrClusterLink.
	LinkDown bool `json:"linkDown,omitempty"`
}

// Skill is a LivePerson skill or a Comm100 department: a queue customers wait in.
type Skill struct {
	// Key is unique across sources: "<source>:<vendor id>".
	Key    string `json:"key"`
	ID     string `json:"id"`
	Source string `json:"source"`
	Name   string `json:"name"`
	// Queues holds the figures per channel (chat first); a LivePerson skill can
	// serve both chat and messaging.
	Queues []Queue `json:"queues"`
	// Agents counts the agents who serve this skill, by state.
	Agents StateCounts `json:"agents"`
}

// Queue is the health of one skill on one channel. Windows are named in the field:
// "30m" means over the last 30 minutes as the vendor computes it.
type Queue struct {
	Channel Channel `json:"channel"`
	// Waiting is the number of contacts waiting for an agent now.
	Waiting Opt[int64] `json:"waiting"`
	// LongestWait is how long the longest-waiting contact has waited, now.
	LongestWait Opt[time.Duration] `json:"longestWaitSec"`
	// AvgWait30m and AvgWait60m are the average wait to answer over 30 and 60 minutes.
	AvgWait30m Opt[time.Duration] `json:"avgWait30mSec"`
	AvgWait60m Opt[time.Duration] `json:"avgWait60mSec"`
	// Abandoned30m is how many contacts gave up waiting in the last 30 minutes.
	Abandoned30m Opt[int64] `json:"abandoned30m"`
	// AbandonRate is abandoned / (abandoned + answered), 0..1, over the vendor's window.
	AbandonRate Opt[float64] `json:"abandonRate"`
	// Handled is contacts answered/connected over the vendor's window.
	Handled Opt[int64] `json:"handled"`
	// Ongoing is conversations in progress with an agent now.
	Ongoing Opt[int64] `json:"ongoing"`
	// ServiceLevel is the share 0..1 answered within ServiceLevelTarget.
	ServiceLevel Opt[float64] `json:"serviceLevel"`
	// ServiceLevelTarget is the answer-time threshold ServiceLevel is measured against;
	// unknown when the vendor measured none (the board's default target applies).
	ServiceLevelTarget Opt[time.Duration] `json:"serviceLevelTargetSec"`
	// AvailableSlots is free agent capacity for this skill now.
	AvailableSlots Opt[int64] `json:"availableSlots"`
	// EstimatedWait is the vendor's estimate for a new contact.
	EstimatedWait Opt[time.Duration] `json:"estimatedWaitSec"`
	// Overdue is conversations past their response-time SLA (messaging).
	Overdue Opt[int64] `json:"overdue"`

	// Messaging quality over the day so far (since QualitySince, the source's daily
	// reset; LivePerson KMM metrics and MsgOps msgcsatdistribution).
	// CSAT is the share 0..1 of CSAT answers that were 4 or 5 (top two boxes).
	CSAT Opt[float64] `json:"csat"`
	// CSATAnswers is how many CSAT answers CSAT stands on (msgcsatdistribution).
	CSATAnswers Opt[int64] `json:"csatAnswers"`
	// FirstResponse is the average time from the consumer's first message to the
	// first human agent response (KMM avgWaitTimeFirstResponse).
	FirstResponse Opt[time.Duration] `json:"firstResponseSec"`
	// ResponseTime is the average time an agent takes to respond, counted from the
	// assignment (KMM avgTimeToResponse).
	ResponseTime Opt[time.Duration] `json:"responseTimeSec"`
	// QualitySince is when the quality window began; zero when no figure is known.
	QualitySince time.Time `json:"qualitySince,omitzero"`
}

// StateCounts counts agents by state.
type StateCounts struct {
	Available int `json:"available"`
	Busy      int `json:"busy"`
	BackSoon  int `json:"backsoon"`
	Away      int `json:"away"`
	Offline   int `json:"offline"`
	Unknown   int `json:"unknown"`
}

// Add counts one agent in state s.
func (c *StateCounts) Add(s AgentState) {
	switch s {
	case Available:
		c.Available++
	case Busy:
		c.Busy++
	case BackSoon:
		c.BackSoon++
	case Away:
		c.Away++
	case Offline:
		c.Offline++
	default:
		c.Unknown++
	}
}

// Get returns the count for state s.
func (c StateCounts) Get(s AgentState) int {
	switch s {
	case Available:
		return c.Available
	case Busy:
		return c.Busy
	case BackSoon:
		return c.BackSoon
	case Away:
		return c.Away
	case Offline:
		return c.Offline
	default:
		return c.Unknown
	}
}

// LoggedIn is every agent who is not offline.
func (c StateCounts) LoggedIn() int {
	return c.Available + c.Busy + c.BackSoon + c.Away + c.Unknown
}

// Agent is one agent as the vendor reports them now.
type Agent struct {
	// Key is unique across sources: "<source>:<vendor id>".
	Key    string     `json:"key"`
	ID     string     `json:"id"`
	Source string     `json:"source"`
	Name   string     `json:"name"`
	State  AgentState `json:"state"`
	// Reason is the away reason's display text ("Lunch"), empty when none.
	Reason string `json:"reason,omitempty"`
	// Since is when the agent entered State; zero when unknown. Where the vendor gives
	// no such time (Comm100) the poller times state changes itself.
	Since time.Time `json:"since,omitzero"`
	// SinceAtLeast marks a Since that is only a lower bound: the state began before
	// ccdash first saw the agent in it, so the time in state is at least now − Since.
	SinceAtLeast bool `json:"sinceAtLeast,omitempty"`
	// Load is the share 0..1 of the agent's capacity in use (may exceed 1).
	Load Opt[float64] `json:"load"`
	// Open is conversations assigned to the agent now.
	Open Opt[int64] `json:"open"`
	// MaxSlots is the agent's concurrency limit.
	MaxSlots Opt[int64] `json:"maxSlots"`
	// HandledToday is conversations the agent handled since the source's daily reset.
	HandledToday Opt[int64] `json:"handledToday"`
	// Skills holds the Keys of the skills the agent serves.
	Skills []string `json:"skills"`
	// Activity is the agent's day so far by state (LivePerson Operational Realtime
	// agentactivity, chat agents; Comm100 chat time only); nil when the source does
	// not report it.
	Activity *Activity `json:"activity,omitempty"`
}

// Activity is time logged in and time in each state over a window that ends now (the
// day so far). The vendor gives durations only: the current state is Agent.State.
type Activity struct {
	// Window is how far back the figures reach (since the day began).
	Window time.Duration `json:"window"`
	// Since is when the window began (the source's daily reset); zero if unknown.
	Since    time.Time          `json:"since,omitzero"`
	LoggedIn Opt[time.Duration] `json:"loggedIn"`
	Online   Opt[time.Duration] `json:"online"`
	BackSoon Opt[time.Duration] `json:"backSoon"`
	Away     Opt[time.Duration] `json:"away"`
	// AwayReasons is time away per away reason, longest first.
	AwayReasons []ReasonTime `json:"awayReasons,omitempty"`
	// Chatting is time with at least one conversation open (Comm100
	// intradayLinearChatTime; LivePerson "Logged in" chatting).
	Chatting Opt[time.Duration] `json:"chattingSec"`
}

// Utilisation is the share 0..1 of logged-in time the agent was online (available
// or busy with contacts): online ÷ logged in, the contact-center "utilisation" of
// staffed time, as opposed to occupancy (handling ÷ online). Unknown without both.
func (a *Activity) Utilisation() Opt[float64] {
	if a == nil {
		return None[float64]()
	}
	on, ok1 := a.Online.Get()
	in, ok2 := a.LoggedIn.Get()
	if !ok1 || !ok2 || in <= 0 {
		return None[float64]()
	}
	return Some(min(float64(on)/float64(in), 1))
}

// ReasonTime is time spent away for one reason.
type ReasonTime struct {
	// Reason is the reason's display text (its vendor id when no name is known).
	Reason string        `json:"reason"`
	Time   time.Duration `json:"time"`
}

// Account holds account-level figures from one source (Comm100 Today and RightNow,
// LivePerson totals).
type Account struct {
	Source   string   `json:"source"`
	Today    Today    `json:"today"`
	RightNow RightNow `json:"rightNow"`
}

// Today is the day so far: since Since, the source's daily reset.
type Today struct {
	// Since is when the day's window began; zero when the vendor does not say.
	Since             time.Time          `json:"since,omitzero"`
	ChatRequests      Opt[int64]         `json:"chatRequests"`
	Chats             Opt[int64]         `json:"chats"`
	Abandoned         Opt[int64]         `json:"abandoned"`
	Missed            Opt[int64]         `json:"missed"`
	Transferred       Opt[int64]         `json:"transferred"`
	SwitchedToMessage Opt[int64]         `json:"switchedToMessage"`
	AvgWait           Opt[time.Duration] `json:"avgWaitSec"`
	AvgChatTime       Opt[time.Duration] `json:"avgChatTimeSec"`
	AvgResponse       Opt[time.Duration] `json:"avgResponseSec"`
	AcceptanceRate    Opt[float64]       `json:"acceptanceRate"`
	AgentUtilization  Opt[float64]       `json:"agentUtilization"`
	AvgScore          Opt[float64]       `json:"avgScore"`
	// ServiceLevel is the share 0..1 of chats answered within ServiceLevelTarget.
	ServiceLevel       Opt[float64]       `json:"serviceLevel"`
	ServiceLevelTarget Opt[time.Duration] `json:"serviceLevelTargetSec"`
	// Resolved is messaging conversations resolved (LivePerson msgconversation).
	Resolved Opt[int64] `json:"resolved"`
	// CSAT is the account's messaging CSAT (top two boxes, 0..1).
	CSAT Opt[float64] `json:"csat"`
}

// RightNow is the account at this moment.
type RightNow struct {
	LoggedInAgents   Opt[int64]   `json:"loggedInAgents"`
	AgentsInChat     Opt[int64]   `json:"agentsInChat"`
	Ongoing          Opt[int64]   `json:"ongoing"`
	OngoingWithAgent Opt[int64]   `json:"ongoingWithAgent"`
	OngoingWithBot   Opt[int64]   `json:"ongoingWithBot"`
	QueueLength      Opt[int64]   `json:"queueLength"`
	VisitorsOnSite   Opt[int64]   `json:"visitorsOnSite"`
	Utilization      Opt[float64] `json:"utilization"`
}
