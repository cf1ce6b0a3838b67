package liveperson

import (
	"fmt"
	"strings"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Key Messaging Metrics and Agent Metrics parsers (REFERENCE.md §5, §6).

// lpKMMPageLimit is the documented maximum page size of /metrics and /agent_view;
// lpKMMMaxRows is the documented cap on offset+limit.
const (
	lpKMMPageLimit = 50
	lpKMMMaxRows   = 1000
)

type lpKMMMetrics struct {
	AssignedConversations     poller.Num `json:"assignedConversations"`
	UnassignedConversations   poller.Num `json:"unassignedConversations"`
	AvailableSlots            poller.Num `json:"availableSlots"`
	AvgWaitTime               poller.Num `json:"avgWaitTime"` // ms
	ClosedConversations       poller.Num `json:"closedConversations"`
	OverdueConversationsTotal poller.Num `json:"overdueConversationsTotal"`
	QueueWaitTime90th         poller.Num `json:"queueWaitTime90thPercentile"`
	OnlineAgents              poller.Num `json:"onlineAgents"`
	AwayAgents                poller.Num `json:"awayAgents"`
	BackSoonAgents            poller.Num `json:"backSoonAgents"`
}

// lpKMMAnswer is the POST /metrics envelope with the metrics M a request asked for.
type lpKMMAnswer[M any] struct {
	Metadata struct {
		Count poller.Num `json:"count"`
	} `json:"metadata"`
	GroupBy struct {
		GroupByField string `json:"groupByField"`
		Groups       []struct {
			Key            lpID   `json:"key"`
			KeyDescription string `json:"keyDescription"`
			Metrics        M      `json:"metrics"`
		} `json:"groups"`
	} `json:"groupBy"`
	All *M `json:"all"`
}

// kmmMetrics applies one page of POST /metrics grouped by skillId and returns the
// total group count (metadata.count) for paging. Groups keyed by anything but
// skillId (an agentGroupId answer) are not skills and are ignored.
func (b *lpBuild) kmmMetrics(body []byte) (count int, err error) {
	var m lpKMMAnswer[lpKMMMetrics]
	if err := lpDecode(body, &m); err != nil {
		return 0, fmt.Errorf("kmm metrics: %w", err)
	}
	if f := m.GroupBy.GroupByField; f == "" || f == "skillId" {
		for _, g := range m.GroupBy.Groups {
			if g.Key == "" {
				continue
			}
			id := string(g.Key)
			b.nameSkill(id, g.KeyDescription)
			q := b.msg(id)
			fill(&q.Waiting, g.Metrics.UnassignedConversations.Count())
			override(&q.Ongoing, g.Metrics.AssignedConversations.Count())
			override(&q.AvailableSlots, g.Metrics.AvailableSlots.Count())
			fill(&q.Handled, g.Metrics.ClosedConversations.Count())
			fill(&q.Overdue, g.Metrics.OverdueConversationsTotal.Count())
			setWindowWait(q, b.timeframe, g.Metrics.AvgWaitTime.Millis())
			if g.Metrics.OnlineAgents.Known() || g.Metrics.AwayAgents.Known() || g.Metrics.BackSoonAgents.Known() {
				sk := b.skill(id)
				sk.agents = &snapshot.StateCounts{
					Available: int(g.Metrics.OnlineAgents.Count().Or(0)),
					Away:      int(g.Metrics.AwayAgents.Count().Or(0)),
					BackSoon:  int(g.Metrics.BackSoonAgents.Count().Or(0)),
				}
			}
		}
	}
	if m.All != nil {
		override(&b.msgOngoing, m.All.AssignedConversations.Count())
	}
	return int(m.Metadata.Count.Count().Or(0)), nil
}

type lpKMMAgent struct {
	AgentID                     lpID       `json:"agentId"`
	AgentCurrentStatus          string     `json:"agentCurrentStatus"`
	AgentCurrentStatusStartTime poller.Num `json:"agentCurrentStatusStartTime"` // epoch ms
	AgentCurrentStatusReason    lpID       `json:"agentCurrentStatusReason"`    // the field table's name
	AgentCurrentStatusReasonID  lpID       `json:"agentCurrentStatusReasonId"`  // the example's name
	ActiveConversations         poller.Num `json:"activeConversations"`
	AssignedConversations       poller.Num `json:"assignedConversations"`
	AgentLoad                   poller.Num `json:"agentLoad"`
	ClosedConversations         poller.Num `json:"closedConversations"`
	MaxSlots                    poller.Num `json:"maxSlots"`
	AgentMetadata               struct {
		AgentName          string     `json:"agentName"`
		AgentNickname      string     `json:"agentNickname"`
		ConfiguredMaxSlots poller.Num `json:"configuredMaxSlots"`
		AgentSkills        []struct {
			SkillID   lpID   `json:"skillId"`
			SkillName string `json:"skillName"`
		} `json:"agentSkills"`
	} `json:"agentMetadata"`
}

type lpKMMAgentView struct {
	Metadata struct {
		Count poller.Num `json:"count"`
	} `json:"metadata"`
	AgentViewRecords []lpKMMAgent `json:"agentViewRecords"`
}

// lpState maps the KMM / Agent Metrics status names.
func lpState(s string, open, maxSlots snapshot.Opt[int64]) snapshot.AgentState {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "ONLINE":
		return snapshot.OnlineState(open, maxSlots)
	case "BACK_SOON", "BACKSOON", "BACK_IN_5":
		return snapshot.BackSoon
	case "AWAY":
		return snapshot.Away
	case "OFFLINE":
		return snapshot.Offline
	}
	return snapshot.Unknown
}

// kmmAgentView applies one page of POST /agent_view and returns metadata.count.
func (b *lpBuild) kmmAgentView(body []byte) (count int, err error) {
	var av lpKMMAgentView
	if err := lpDecode(body, &av); err != nil {
		return 0, fmt.Errorf("kmm agent_view: %w", err)
	}
	for _, r := range av.AgentViewRecords {
		if r.AgentID == "" {
			continue
		}
		la := b.agent(string(r.AgentID))
		a := &la.a
		a.Name = firstNonEmpty(r.AgentMetadata.AgentNickname, r.AgentMetadata.AgentName, string(r.AgentID))
		a.Open = r.AssignedConversations.Or(r.ActiveConversations).Count()
		a.MaxSlots = r.MaxSlots.Or(r.AgentMetadata.ConfiguredMaxSlots).Count()
		a.Load = r.AgentLoad.Load()
		a.State = lpState(r.AgentCurrentStatus, a.Open, a.MaxSlots)
		a.Since = r.AgentCurrentStatusStartTime.TimeMs()
		la.reasonID = r.AgentCurrentStatusReason
		if !la.reasonID.known() {
			la.reasonID = r.AgentCurrentStatusReasonID
		}
		la.kmmClosed = r.ClosedConversations.Count()
		a.Skills = a.Skills[:0]
		for _, s := range r.AgentMetadata.AgentSkills {
			if s.SkillID == "" {
				continue
			}
			a.Skills = append(a.Skills, snapshot.Key(b.source, string(s.SkillID)))
			b.nameSkill(string(s.SkillID), s.SkillName)
		}
	}
	return int(av.Metadata.Count.Count().Or(0)), nil
}

type lpAMStatus struct {
	Metadata struct {
		Count poller.Num `json:"count"`
	} `json:"_metadata"`
	AgentStatusRecords []struct {
		AgentID                   lpID       `json:"agentId"`
		AgentName                 string     `json:"agentName"`
		AgentNickname             string     `json:"agentNickname"`
		CurrentStatus             string     `json:"currentStatus"`
		CurrentStatusStartTimeL   poller.Num `json:"currentStatusStartTimeL"`
		CurrentStatusReason       lpID       `json:"currentStatusReason"`
		CurrentStatusReasonID     lpID       `json:"currentStatusReasonId"`
		Load                      poller.Num `json:"load"`
		ConfiguredMaxSlots        poller.Num `json:"configuredMaxSlots"`
		OpenAssignedConversations poller.Num `json:"openAssignedConversations"`
		AgentSkills               []struct {
			SkillID   lpID   `json:"skillId"`
			SkillName string `json:"skillName"`
		} `json:"agentSkills"`
	} `json:"agentStatusRecords"`
}

// agentMetricsStatus applies one page of the Agent Metrics status answer (the
// fallback for accounts without KMM) and returns _metadata.count.
func (b *lpBuild) agentMetricsStatus(body []byte) (count int, err error) {
	var st lpAMStatus
	if err := lpDecode(body, &st); err != nil {
		return 0, fmt.Errorf("agent metrics status: %w", err)
	}
	for _, r := range st.AgentStatusRecords {
		if r.AgentID == "" {
			continue
		}
		la := b.agent(string(r.AgentID))
		a := &la.a
		a.Name = firstNonEmpty(r.AgentNickname, r.AgentName, string(r.AgentID))
		a.Open = r.OpenAssignedConversations.Count()
		a.MaxSlots = r.ConfiguredMaxSlots.Count()
		a.Load = r.Load.Load()
		a.State = lpState(r.CurrentStatus, a.Open, a.MaxSlots)
		a.Since = r.CurrentStatusStartTimeL.TimeMs()
		la.reasonID = r.CurrentStatusReason
		if !la.reasonID.known() {
			la.reasonID = r.CurrentStatusReasonID
		}
		a.Skills = a.Skills[:0]
		for _, s := range r.AgentSkills {
			if s.SkillID == "" {
				continue
			}
			a.Skills = append(a.Skills, snapshot.Key(b.source, string(s.SkillID)))
			b.nameSkill(string(s.SkillID), s.SkillName)
		}
	}
	return int(st.Metadata.Count.Count().Or(0)), nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// lpNamed is an account-config entry: skills ({id,name}) and status reasons
// ({id,text,state,deleted}).
type lpNamed struct {
	ID      lpID   `json:"id"`
	Name    string `json:"name"`
	Text    string `json:"text"`
	Deleted bool   `json:"deleted"`
}

// configSkills applies GET .../configuration/le-users/skills: names win over the
// names data answers carry.
func (b *lpBuild) configSkills(body []byte) error {
	var list []lpNamed
	if err := lpDecode(body, &list); err != nil {
		return fmt.Errorf("skills: %w", err)
	}
	for _, s := range list {
		if s.ID != "" && s.Name != "" && !s.Deleted {
			b.names[string(s.ID)] = s.Name
		}
	}
	return nil
}

// configReasons applies GET .../configuration/le-agents/status-reasons. Deleted
// reasons keep their text: an agent may still be away with one.
func (b *lpBuild) configReasons(body []byte) error {
	var list []lpNamed
	if err := lpDecode(body, &list); err != nil {
		return fmt.Errorf("status reasons: %w", err)
	}
	for _, r := range list {
		if r.ID != "" && r.Text != "" {
			b.reasons[string(r.ID)] = r.Text
		}
	}
	return nil
}
