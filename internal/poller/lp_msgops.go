package poller

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Messaging Operations parsers (REFERENCE.md §4).

type lpMsgQH struct {
	UnassignedConversations       lpNum `json:"unassignedConversations"`
	ActionableConversations       lpNum `json:"actionableConversations"`
	MaxWaitTimeForAgentAssignment lpNum `json:"maxWaitTimeForAgentAssignment"` // ms
	P50                           lpNum `json:"waitTimeForAgentAssignment_50thPercentile"`
	P90                           lpNum `json:"waitTimeForAgentAssignment_90thPercentile"`
	OverdueConversationsTotal     lpNum `json:"overdueConversationsTotal"`
	OverdueConversationsInQueue   lpNum `json:"overdueConversationsInQueue"`
	OverdueConversationsAssigned  lpNum `json:"overdueConversationsAssigned"`
}

// overdue is the documented total, or its two parts when only they came.
func (m lpMsgQH) overdue() snapshot.Opt[int64] {
	if m.OverdueConversationsTotal.ok {
		return m.OverdueConversationsTotal.count()
	}
	return sumOpt(m.OverdueConversationsInQueue.count(), m.OverdueConversationsAssigned.count())
}

type lpMsgQHBlock struct {
	SkillsMetrics map[string]lpMsgQH `json:"skillsMetrics"`
	MetricsTotal  *lpMsgQH           `json:"metricsTotal"`  // the key every example uses
	MetricsTotals *lpMsgQH           `json:"metricsTotals"` // the key the field table names
}

type lpMsgQHInterval struct {
	Timestamp   lpNum         `json:"timestamp"`
	MetricsData *lpMsgQHBlock `json:"metricsData"` // present on some intervals only
	lpMsgQHBlock
}

type lpMsgQueueHealth struct {
	lpMsgQHBlock
	TimeframeSummary   *lpMsgQHBlock     `json:"timeframeSummary"`
	MetricsByIntervals []lpMsgQHInterval `json:"metricsByIntervals"`
}

// current picks the freshest whole block: the top level (current and no-interval
// answers), else the timeframe summary, else the latest interval.
func (m lpMsgQueueHealth) current() lpMsgQHBlock {
	if m.SkillsMetrics != nil || m.MetricsTotal != nil || m.MetricsTotals != nil {
		return m.lpMsgQHBlock
	}
	if m.TimeframeSummary != nil {
		return *m.TimeframeSummary
	}
	if len(m.MetricsByIntervals) == 0 {
		return lpMsgQHBlock{}
	}
	iv := slices.MaxFunc(m.MetricsByIntervals, func(x, y lpMsgQHInterval) int {
		switch {
		case x.Timestamp.v < y.Timestamp.v:
			return -1
		case x.Timestamp.v > y.Timestamp.v:
			return 1
		}
		return 0
	})
	if iv.MetricsData != nil {
		return *iv.MetricsData
	}
	return iv.lpMsgQHBlock
}

// msgQueueHealth applies GET /msgqueuehealth/current/: waiting = unassigned
// conversations, longest wait = max wait for agent assignment (ms), overdue.
func (b *lpBuild) msgQueueHealth(body []byte) error {
	var mqh lpMsgQueueHealth
	if err := lpDecode(body, &mqh); err != nil {
		return fmt.Errorf("msgqueuehealth: %w", err)
	}
	cur := mqh.current()
	for id, m := range cur.SkillsMetrics {
		q := b.msg(id)
		override(&q.Waiting, m.UnassignedConversations.count())
		override(&q.LongestWait, m.MaxWaitTimeForAgentAssignment.millis())
		if n, ok := q.Waiting.Get(); ok && n == 0 && !q.LongestWait.Known() {
			q.LongestWait = snapshot.Some(time.Duration(0))
		}
		override(&q.Overdue, m.overdue())
	}
	t := cur.MetricsTotal
	if t == nil {
		t = cur.MetricsTotals
	}
	if t != nil {
		override(&b.msgWaiting, t.UnassignedConversations.count())
	}
	return nil
}

type lpEWT struct {
	EstimatedWaitTimeResponse []struct {
		SkillID           lpID  `json:"skillId"`
		EstimatedWaitTime lpNum `json:"estimatedWaitTime"` // seconds, -1 = no data
	} `json:"estimatedWaitTimeResponse"`
}

// ewt applies the Estimated Wait Time answer to messaging queues.
func (b *lpBuild) ewt(body []byte) error {
	var e lpEWT
	if err := lpDecode(body, &e); err != nil {
		return fmt.Errorf("ewt: %w", err)
	}
	for _, r := range e.EstimatedWaitTimeResponse {
		if r.SkillID == "" {
			continue
		}
		override(&b.msg(string(r.SkillID)).EstimatedWait, r.EstimatedWaitTime.seconds())
	}
	return nil
}

type lpConvMetrics struct {
	TotalResolvedConversations lpNum `json:"totalResolvedConversations"`
}

// msgConversation applies GET /msgconversation?skillIds=all&agentIds=all:
// conversations resolved in the window per skill (messaging Handled) and per agent.
func (b *lpBuild) msgConversation(body []byte) error {
	var mc lpActivity[lpConvMetrics]
	if err := lpDecode(body, &mc); err != nil {
		return fmt.Errorf("msgconversation: %w", err)
	}
	if ps := mc.perSkill(); ps != nil {
		for id, s := range ps.MetricsPerSkill {
			t := s.MetricsTotals
			if t == nil {
				t = s.MetricsTotal
			}
			if t != nil {
				override(&b.msg(id).Handled, t.TotalResolvedConversations.count())
			}
		}
	}
	for id, ms := range mc.perAgent() {
		var n []snapshot.Opt[int64]
		for _, m := range ms {
			n = append(n, m.TotalResolvedConversations.count())
		}
		b.msgHandled[id] = sumOpt(n...)
	}
	return nil
}

// histogramParam is the SLA histogram bounds for target: 0 is implied, so one bound
// at the target splits "within" from "after" (ServiceLevelFromHistogram counts
// buckets wholly under it).
func histogramParam(targetSec int) string { return strconv.Itoa(targetSec) }
