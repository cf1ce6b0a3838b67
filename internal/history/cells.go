package history

import (
	"math"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// A frame stores every figure of a snapshot as an int64 "cell" in a fixed order given
// by the layout, so a delta frame is just the cells that changed. Unknown values are
// the none sentinel; durations are milliseconds, ratios millionths, times Unix
// milliseconds (the vendors report seconds or milliseconds, so nothing is lost but
// sub-millisecond server clock digits). Strings (states, reasons, error texts) are
// indexes into the chain's string table.
const none = math.MinInt64

// Cells per layout element.
const (
	cellsHead    = 2  // snapshot version, taken at
	cellsSource  = 10 // see sourceCells
	cellsAccount = 20 // Today (12) and RightNow (8)
	cellsQueue   = 13 // see queueCells
	cellsCounts  = 6  // agents by state
	cellsAgent   = 13 // state, reason, since, load, open, max slots, handled; day activity (6)
	// cellsAgentV1 is an agent's width in frames written before the day activity
	// was recorded; such keyframes still decode (their activity is unknown).
	cellsAgentV1 = 7
)

func optInt(o snapshot.Opt[int64]) int64 {
	if v, ok := o.Get(); ok {
		return v
	}
	return none
}

func optDur(o snapshot.Opt[time.Duration]) int64 {
	if v, ok := o.Get(); ok {
		return int64(v / time.Millisecond)
	}
	return none
}

func optRatio(o snapshot.Opt[float64]) int64 {
	if v, ok := o.Get(); ok {
		return int64(math.Round(v * 1e6))
	}
	return none
}

func timeCell(t time.Time) int64 {
	if t.IsZero() {
		return none
	}
	return t.UnixMilli()
}

func cellInt(c int64) snapshot.Opt[int64] {
	if c == none {
		return snapshot.None[int64]()
	}
	return snapshot.Some(c)
}

func cellDur(c int64) snapshot.Opt[time.Duration] {
	if c == none {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Some(time.Duration(c) * time.Millisecond)
}

func cellRatio(c int64) snapshot.Opt[float64] {
	if c == none {
		return snapshot.None[float64]()
	}
	return snapshot.Some(float64(c) / 1e6)
}

func cellTime(c int64) time.Time {
	if c == none {
		return time.Time{}
	}
	return time.UnixMilli(c).UTC()
}

// queueCells appends the 13 figures of q in metric order (see metrics.go).
func queueCells(dst []int64, q snapshot.Queue) []int64 {
	return append(dst,
		optInt(q.Waiting), optDur(q.LongestWait), optDur(q.AvgWait30m), optDur(q.AvgWait60m),
		optInt(q.Abandoned30m), optRatio(q.AbandonRate), optInt(q.Handled), optInt(q.Ongoing),
		optRatio(q.ServiceLevel), optDur(q.ServiceLevelTarget), optInt(q.AvailableSlots),
		optDur(q.EstimatedWait), optInt(q.Overdue))
}

func queueFrom(ch snapshot.Channel, c []int64) snapshot.Queue {
	return snapshot.Queue{
		Channel: ch, Waiting: cellInt(c[0]), LongestWait: cellDur(c[1]), AvgWait30m: cellDur(c[2]),
		AvgWait60m: cellDur(c[3]), Abandoned30m: cellInt(c[4]), AbandonRate: cellRatio(c[5]),
		Handled: cellInt(c[6]), Ongoing: cellInt(c[7]), ServiceLevel: cellRatio(c[8]),
		ServiceLevelTarget: cellDur(c[9]), AvailableSlots: cellInt(c[10]),
		EstimatedWait: cellDur(c[11]), Overdue: cellInt(c[12]),
	}
}

func countCells(dst []int64, c snapshot.StateCounts) []int64 {
	return append(dst, int64(c.Available), int64(c.Busy), int64(c.BackSoon),
		int64(c.Away), int64(c.Offline), int64(c.Unknown))
}

func countsFrom(c []int64) snapshot.StateCounts {
	return snapshot.StateCounts{Available: int(c[0]), Busy: int(c[1]), BackSoon: int(c[2]),
		Away: int(c[3]), Offline: int(c[4]), Unknown: int(c[5])}
}

func accountCells(dst []int64, a snapshot.Account) []int64 {
	t, r := a.Today, a.RightNow
	return append(dst,
		optInt(t.ChatRequests), optInt(t.Chats), optInt(t.Abandoned), optInt(t.Missed),
		optInt(t.Transferred), optInt(t.SwitchedToMessage), optDur(t.AvgWait), optDur(t.AvgChatTime),
		optDur(t.AvgResponse), optRatio(t.AcceptanceRate), optRatio(t.AgentUtilization), optRatio(t.AvgScore),
		optInt(r.LoggedInAgents), optInt(r.AgentsInChat), optInt(r.Ongoing), optInt(r.OngoingWithAgent),
		optInt(r.OngoingWithBot), optInt(r.QueueLength), optInt(r.VisitorsOnSite), optRatio(r.Utilization))
}

func accountFrom(source string, c []int64) snapshot.Account {
	return snapshot.Account{Source: source,
		Today: snapshot.Today{
			ChatRequests: cellInt(c[0]), Chats: cellInt(c[1]), Abandoned: cellInt(c[2]), Missed: cellInt(c[3]),
			Transferred: cellInt(c[4]), SwitchedToMessage: cellInt(c[5]), AvgWait: cellDur(c[6]),
			AvgChatTime: cellDur(c[7]), AvgResponse: cellDur(c[8]), AcceptanceRate: cellRatio(c[9]),
			AgentUtilization: cellRatio(c[10]), AvgScore: cellRatio(c[11]),
		},
		RightNow: snapshot.RightNow{
			LoggedInAgents: cellInt(c[12]), AgentsInChat: cellInt(c[13]), Ongoing: cellInt(c[14]),
			OngoingWithAgent: cellInt(c[15]), OngoingWithBot: cellInt(c[16]), QueueLength: cellInt(c[17]),
			VisitorsOnSite: cellInt(c[18]), Utilization: cellRatio(c[19]),
		}}
}

// activityCells appends an agent's day activity: since, logged in, online, back
// soon, away, chatting (none when the source reports no activity). The times are
// kept to the whole minute the board shows them in, so a logged-in agent's cells
// change once a minute, not with every poll: delta frames stay small.
func activityCells(c []int64, act *snapshot.Activity) []int64 {
	if act == nil {
		return append(c, none, none, none, none, none, none)
	}
	m := func(o snapshot.Opt[time.Duration]) int64 {
		if v, ok := o.Get(); ok {
			return optDur(snapshot.Some(v.Truncate(time.Minute)))
		}
		return none
	}
	return append(c, timeCell(act.Since), m(act.LoggedIn), m(act.Online), m(act.BackSoon), m(act.Away), m(act.Chatting))
}

// activityFrom is the inverse of activityCells; nil when nothing was recorded. The
// per-reason away times are not kept: a time-travel view shows the totals.
func activityFrom(v []int64) *snapshot.Activity {
	if len(v) < 6 || !slices.ContainsFunc(v[:6], func(c int64) bool { return c != none }) {
		return nil
	}
	act := &snapshot.Activity{Since: cellTime(v[0]), LoggedIn: cellDur(v[1]), Online: cellDur(v[2]),
		BackSoon: cellDur(v[3]), Away: cellDur(v[4]), Chatting: cellDur(v[5])}
	return act
}
