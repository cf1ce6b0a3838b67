package comm100

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// The parsers below are pure functions of a response body so they can be fuzzed.
// They accept every spelling the Comm100 docs disagree on and return an error (never
// panic) on anything that is not the documented shape. Note that encoding/json
// matches keys case-insensitively, so v3's "avgWaitTimeInLast30Mins" lands in the
// same field as v4's "avgWaitTimeinLast30Mins"; spellings that differ in more than
// case get a field each and are joined with poller.Num.or.

// c100ID is a vendor id: a GUID string in v4, a number in v3. GUIDs are compared
// lowercased because the docs show both cases for the same kind of id.
type c100ID string

func (id *c100ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = c100ID(c100NormID(s))
	default:
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("bad id %.40q", b)
		}
		*id = c100ID(strconv.FormatInt(n, 10))
	}
	return nil
}

func c100NormID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

var errC100Shape = errors.New("unexpected JSON shape")

// expect checks that body is a JSON value starting with open ('{' or '['); a bare
// null or a scalar is not a valid answer from any of these endpoints.
func c100Expect(body []byte, open byte) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != open {
		return fmt.Errorf("%w: want %c", errC100Shape, open)
	}
	return nil
}

func c100Decode(body []byte, open byte, out any) error {
	if err := c100Expect(body, open); err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}

// c100Agent is one agent of realTime/Agents.
type c100Agent struct {
	ID           string
	Name         string
	StatusID     string
	Open         snapshot.Opt[int64]
	MaxSlots     snapshot.Opt[int64] // unknown when the vendor says 0 ("not set")
	HandledToday snapshot.Opt[int64]
	// LinearChatTime is the agent's chat time today (Activity.Chatting); an invalid
	// value is dropped rather than failing the poll over one figure.
	LinearChatTime snapshot.Opt[time.Duration]
}

// c100AgentsPage is one page of realTime/Agents.
type c100AgentsPage struct {
	Total     int
	PageCount int
	Agents    []c100Agent
}

func parseComm100Agents(body []byte) (c100AgentsPage, error) {
	var raw struct {
		Total     poller.Num `json:"total"`
		PageCount poller.Num `json:"pageCount"`
		List      *[]struct {
			AgentID            c100ID     `json:"agentId"`
			DisplayName        string     `json:"displayName"`
			CurrentStatusID    c100ID     `json:"currentStatusId"`
			OngoingChats       poller.Num `json:"ongoingChats"`
			OnGoingChats       poller.Num `json:"onGoingChats"`
			MaxConcurrentChats poller.Num `json:"maxConcurrentChats"`
			IntradayChats      poller.Num `json:"intradayChats"`
			IntradayLinearTime *string    `json:"intradayLinearChatTime"`
		} `json:"list"`
	}
	if err := c100Decode(body, '{', &raw); err != nil {
		return c100AgentsPage{}, err
	}
	if raw.List == nil {
		return c100AgentsPage{}, fmt.Errorf("%w: no list", errC100Shape)
	}
	page := c100AgentsPage{Total: c100PageInt(raw.Total), PageCount: c100PageInt(raw.PageCount)}
	for i, a := range *raw.List {
		if a.AgentID == "" {
			return c100AgentsPage{}, fmt.Errorf("%w: agent %d has no agentId", errC100Shape, i)
		}
		ag := c100Agent{
			ID:           string(a.AgentID),
			Name:         strings.TrimSpace(a.DisplayName),
			StatusID:     string(a.CurrentStatusID),
			Open:         a.OngoingChats.Or(a.OnGoingChats).Count(),
			HandledToday: a.IntradayChats.Count(),
		}
		if m := a.MaxConcurrentChats.Count(); m.Or(0) > 0 {
			ag.MaxSlots = m
		}
		if a.IntradayLinearTime != nil {
			if d, err := parseTimeSpan(*a.IntradayLinearTime); err == nil {
				ag.LinearChatTime = snapshot.Some(d)
			}
		}
		page.Agents = append(page.Agents, ag)
	}
	return page, nil
}

// c100PageInt turns a paging figure into an int, unknown or negative as 0.
func c100PageInt(n poller.Num) int {
	c := n.Count().Or(0)
	if c > 1<<31 {
		c = 1 << 31
	}
	return int(c)
}

// c100QueueEntry is one routing target of realTime/Queue that is a department.
type c100QueueEntry struct {
	DepartmentID   string
	DepartmentName string
	Queue          snapshot.Queue
}

type c100Visitor struct {
	WaitTime poller.Num `json:"waitTime"`
}

// parseComm100Queue returns the department entries of realTime/Queue (v4, or the v3
// predecessor's routeTo/queue shape). Entries routed to the whole site or only to an
// agent are not a department's queue and are left out. A department listed twice
// has its counts summed.
func parseComm100Queue(body []byte) ([]c100QueueEntry, error) {
	var raw []struct {
		RouteToDepartmentID c100ID `json:"routeToDepartmentId"`
		RouteToDepartment   *struct {
			ID   c100ID `json:"id"`
			Name string `json:"name"`
		} `json:"routeToDepartment"`
		RouteTo *struct { // v3: type 0 site, 1 department, 2 agent
			Type poller.Num `json:"type"`
			ID   c100ID     `json:"id"`
		} `json:"routeTo"`
		OngoingChats       poller.Num     `json:"ongoingChats"`
		OnGoingChats       poller.Num     `json:"onGoingChats"`
		CurrentQueueLength poller.Num     `json:"currentQueueLength"`
		AvgWait30          poller.Num     `json:"avgWaitTimeinLast30Mins"`
		AvgWait60          poller.Num     `json:"avgWaitTimeinLast60Mins"`
		Abandoned30        poller.Num     `json:"abandonedChatsinLast30Mins"`
		Visitors           *[]c100Visitor `json:"visitors"`
		V3Queue            *[]c100Visitor `json:"queue"`
	}
	if err := c100Decode(body, '[', &raw); err != nil {
		return nil, err
	}
	var out []c100QueueEntry
	index := map[string]int{}
	for _, r := range raw {
		e := c100QueueEntry{DepartmentID: string(r.RouteToDepartmentID)}
		if r.RouteToDepartment != nil {
			if e.DepartmentID == "" {
				e.DepartmentID = string(r.RouteToDepartment.ID)
			}
			e.DepartmentName = strings.TrimSpace(r.RouteToDepartment.Name)
		}
		if e.DepartmentID == "" && r.RouteTo != nil && routeType(r.RouteTo.Type) == 1 {
			e.DepartmentID = string(r.RouteTo.ID)
		}
		if e.DepartmentID == "" {
			continue
		}
		visitors := r.Visitors
		if visitors == nil {
			visitors = r.V3Queue
		}
		q := snapshot.Queue{
			Channel:      snapshot.Chat,
			Waiting:      r.CurrentQueueLength.Count(),
			AvgWait30m:   r.AvgWait30.Seconds(),
			AvgWait60m:   r.AvgWait60.Seconds(),
			Abandoned30m: r.Abandoned30.Count(),
			Ongoing:      r.OngoingChats.Or(r.OnGoingChats).Count(),
		}
		if visitors != nil {
			// The visitors list is the queue itself: its longest wait is the
			// longest wait now (0 when nobody waits), and it gives the length when
			// the vendor leaves currentQueueLength out (v3).
			longest := snapshot.Some(time.Duration(0))
			for _, v := range *visitors {
				w := v.WaitTime.Seconds()
				if !w.Known() {
					longest = snapshot.None[time.Duration]()
					break
				}
				if w.Or(0) > longest.Or(0) {
					longest = w
				}
			}
			q.LongestWait = longest
			if !q.Waiting.Known() {
				q.Waiting = snapshot.Some(int64(len(*visitors)))
			}
		}
		if i, dup := index[e.DepartmentID]; dup {
			out[i].Queue = sumQueues(out[i].Queue, q)
			continue
		}
		e.Queue = q
		index[e.DepartmentID] = len(out)
		out = append(out, e)
	}
	return out, nil
}

// sumQueues joins two entries for the same department: counts add up, the longest
// wait is the longer one, averages keep the first entry's figures (weights unknown).
func sumQueues(a, b snapshot.Queue) snapshot.Queue {
	a.Waiting = c100SumOpt(a.Waiting, b.Waiting)
	a.Abandoned30m = c100SumOpt(a.Abandoned30m, b.Abandoned30m)
	a.Ongoing = c100SumOpt(a.Ongoing, b.Ongoing)
	if b.LongestWait.Or(0) > a.LongestWait.Or(0) {
		a.LongestWait = b.LongestWait
	}
	return a
}

func c100SumOpt(a, b snapshot.Opt[int64]) snapshot.Opt[int64] {
	av, aok := a.Get()
	bv, bok := b.Get()
	if aok && bok {
		return snapshot.Some(av + bv)
	}
	if aok {
		return a
	}
	return b
}

// parseComm100Today reads realTime/Today: the v4 flat object (with the vendor's
// "abandondedChats" spelling) or the v3 object of sections.
func parseComm100Today(body []byte) (snapshot.Today, error) {
	var raw struct {
		ChatRequests          poller.Num `json:"chatRequests"`
		Chats                 poller.Num `json:"chats"`
		TotalChats            poller.Num `json:"totalChats"`
		AbandondedChats       poller.Num `json:"abandondedChats"`
		AbandonedChats        poller.Num `json:"abandonedChats"`
		MissedChats           poller.Num `json:"missedChats"`
		TotalTransferredChats poller.Num `json:"totalTransferredChats"`
		SwitchedToMessage     poller.Num `json:"switchedToMessageChats"`
		AvgWaitingTime        poller.Num `json:"avgWaitingTime"`
		AvgChatTime           poller.Num `json:"avgChatTime"`
		AgentAvgResponseTime  poller.Num `json:"agentAvgResponseTime"`
		ChatAcceptanceRate    poller.Num `json:"chatAcceptanceRate"`
		AgentUtilization      poller.Num `json:"agentUtilization"`
		AvgScore              poller.Num `json:"avgScore"`

		ChatOverview *struct {
			ChatRequests       poller.Num `json:"chatRequests"`
			Chats              poller.Num `json:"chats"`
			ChatAcceptanceRate poller.Num `json:"chatAcceptanceRate"`
			AbandonedChats     poller.Num `json:"abandonedChats"`
			SwitchToMessages   poller.Num `json:"switchToMessages"`
			MissedChats        poller.Num `json:"missedChats"`
		} `json:"chatOverview"`
		ServiceEfficiency *struct {
			AvgWaitTime        poller.Num `json:"avgWaitTime"`
			AvgChatTime        poller.Num `json:"avgChatTime"`
			AvgResponseTime    poller.Num `json:"avgResponseTime"`
			TotalTransferChats poller.Num `json:"totalTransferChats"`
		} `json:"serviceEfficiency"`
		AgentPerformance *struct {
			AgentUtilization poller.Num `json:"agentUtilization"`
			AvgScore         poller.Num `json:"avgScore"`
		} `json:"agentPerformance"`
	}
	if err := c100Decode(body, '{', &raw); err != nil {
		return snapshot.Today{}, err
	}
	if o := raw.ChatOverview; o != nil {
		raw.ChatRequests = raw.ChatRequests.Or(o.ChatRequests)
		raw.Chats = raw.Chats.Or(o.Chats)
		raw.ChatAcceptanceRate = raw.ChatAcceptanceRate.Or(o.ChatAcceptanceRate)
		raw.AbandonedChats = raw.AbandonedChats.Or(o.AbandonedChats)
		raw.SwitchedToMessage = raw.SwitchedToMessage.Or(o.SwitchToMessages)
		raw.MissedChats = raw.MissedChats.Or(o.MissedChats)
	}
	if e := raw.ServiceEfficiency; e != nil {
		raw.AvgWaitingTime = raw.AvgWaitingTime.Or(e.AvgWaitTime)
		raw.AvgChatTime = raw.AvgChatTime.Or(e.AvgChatTime)
		raw.AgentAvgResponseTime = raw.AgentAvgResponseTime.Or(e.AvgResponseTime)
		raw.TotalTransferredChats = raw.TotalTransferredChats.Or(e.TotalTransferChats)
	}
	if p := raw.AgentPerformance; p != nil {
		raw.AgentUtilization = raw.AgentUtilization.Or(p.AgentUtilization)
		raw.AvgScore = raw.AvgScore.Or(p.AvgScore)
	}
	return snapshot.Today{
		ChatRequests:      raw.ChatRequests.Count(),
		Chats:             raw.Chats.Or(raw.TotalChats).Count(),
		Abandoned:         raw.AbandondedChats.Or(raw.AbandonedChats).Count(),
		Missed:            raw.MissedChats.Count(),
		Transferred:       raw.TotalTransferredChats.Count(),
		SwitchedToMessage: raw.SwitchedToMessage.Count(),
		AvgWait:           raw.AvgWaitingTime.Seconds(),
		AvgChatTime:       raw.AvgChatTime.Seconds(),
		AvgResponse:       raw.AgentAvgResponseTime.Seconds(),
		AcceptanceRate:    raw.ChatAcceptanceRate.Percent(),
		AgentUtilization:  raw.AgentUtilization.Percent(),
		AvgScore:          raw.AvgScore.Float(),
	}, nil
}

// parseComm100RightNow reads realTime/RightNow (v4 names, and the v3 names that
// differ: visitorsOnSite, ongoingChatsWithAgents, ongoingChatsWithChatbot).
func parseComm100RightNow(body []byte) (snapshot.RightNow, error) {
	var raw struct {
		LoggedInAgents          poller.Num `json:"loggedInAgents"`
		AgentsInChat            poller.Num `json:"agentsInChat"`
		OngoingChats            poller.Num `json:"ongoingChats"`
		OnGoingChats            poller.Num `json:"onGoingChats"`
		OngoingChatsWithAgent   poller.Num `json:"ongoingChatsWithAgent"`
		OngoingChatsWithAgents  poller.Num `json:"ongoingChatsWithAgents"`
		OngoingChatsWithBot     poller.Num `json:"ongoingChatsWithBot"`
		OngoingChatsWithChatbot poller.Num `json:"ongoingChatsWithChatbot"`
		CurrentQueueLength      poller.Num `json:"currentQueueLength"`
		VisitorOnSite           poller.Num `json:"visitorOnSite"`
		VisitorsOnSite          poller.Num `json:"visitorsOnSite"`
		ChatUtilization         poller.Num `json:"chatUtilization"`
	}
	if err := c100Decode(body, '{', &raw); err != nil {
		return snapshot.RightNow{}, err
	}
	return snapshot.RightNow{
		LoggedInAgents:   raw.LoggedInAgents.Count(),
		AgentsInChat:     raw.AgentsInChat.Count(),
		Ongoing:          raw.OngoingChats.Or(raw.OnGoingChats).Count(),
		OngoingWithAgent: raw.OngoingChatsWithAgent.Or(raw.OngoingChatsWithAgents).Count(),
		OngoingWithBot:   raw.OngoingChatsWithBot.Or(raw.OngoingChatsWithChatbot).Count(),
		QueueLength:      raw.CurrentQueueLength.Count(),
		VisitorsOnSite:   raw.VisitorOnSite.Or(raw.VisitorsOnSite).Count(),
		Utilization:      raw.ChatUtilization.Percent(),
	}, nil
}

// c100Department is one department of global/departments.
type c100Department struct {
	ID       string
	Name     string
	AgentIDs []string
	// Chat is false when the department is deleted or not offered in live chat.
	Chat bool
}

func parseComm100Departments(body []byte) ([]c100Department, error) {
	var raw []struct {
		ID                    c100ID   `json:"id"`
		Name                  string   `json:"name"`
		IsAvailableInLiveChat *bool    `json:"isAvailableInLiveChat"`
		IsDeleted             bool     `json:"isDeleted"`
		AgentIDs              []c100ID `json:"agentIds"`
	}
	if err := c100Decode(body, '[', &raw); err != nil {
		return nil, err
	}
	out := make([]c100Department, 0, len(raw))
	for i, r := range raw {
		if r.ID == "" {
			return nil, fmt.Errorf("%w: department %d has no id", errC100Shape, i)
		}
		d := c100Department{ID: string(r.ID), Name: strings.TrimSpace(r.Name),
			Chat: !r.IsDeleted && (r.IsAvailableInLiveChat == nil || *r.IsAvailableInLiveChat)}
		for _, a := range r.AgentIDs {
			if a != "" {
				d.AgentIDs = append(d.AgentIDs, string(a))
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// c100GlobalAgent is one agent of global/agents: names and department membership.
type c100GlobalAgent struct {
	ID            string
	Name          string
	DepartmentIDs []string
}

func parseComm100GlobalAgents(body []byte) ([]c100GlobalAgent, error) {
	var raw []struct {
		ID            c100ID   `json:"id"`
		DisplayName   string   `json:"displayName"`
		DepartmentIDs []c100ID `json:"departmentIds"`
	}
	if err := c100Decode(body, '[', &raw); err != nil {
		return nil, err
	}
	out := make([]c100GlobalAgent, 0, len(raw))
	for i, r := range raw {
		if r.ID == "" {
			return nil, fmt.Errorf("%w: agent %d has no id", errC100Shape, i)
		}
		a := c100GlobalAgent{ID: string(r.ID), Name: strings.TrimSpace(r.DisplayName)}
		for _, d := range r.DepartmentIDs {
			if d != "" {
				a.DepartmentIDs = append(a.DepartmentIDs, string(d))
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// c100AwayStatus is one entry of global/agentAwayStatuses.
type c100AwayStatus struct {
	ID     string
	Name   string
	System bool
}

func parseComm100AwayStatuses(body []byte) ([]c100AwayStatus, error) {
	var raw []struct {
		ID       c100ID `json:"id"`
		Name     string `json:"name"`
		IsSystem bool   `json:"isSystem"`
	}
	if err := c100Decode(body, '[', &raw); err != nil {
		return nil, err
	}
	out := make([]c100AwayStatus, 0, len(raw))
	for i, r := range raw {
		if r.ID == "" {
			return nil, fmt.Errorf("%w: away status %d has no id", errC100Shape, i)
		}
		out = append(out, c100AwayStatus{ID: string(r.ID), Name: strings.TrimSpace(r.Name), System: r.IsSystem})
	}
	return out, nil
}

// parseComm100StatusNames reads livechat/agents into agent id → status name
// ("Online", "Away", "Offline" or a custom away name).
func parseComm100StatusNames(body []byte) (map[string]string, error) {
	var raw []struct {
		ID     c100ID `json:"id"`
		Status string `json:"status"`
	}
	if err := c100Decode(body, '[', &raw); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for _, r := range raw {
		if r.ID != "" {
			out[string(r.ID)] = strings.TrimSpace(r.Status)
		}
	}
	return out, nil
}

// routeType is a v3 routeTo.type (0 site, 1 department, 2 agent); -1 when unknown.
func routeType(n poller.Num) float64 {
	if v, ok := n.Value(); ok {
		return v
	}
	return -1
}
