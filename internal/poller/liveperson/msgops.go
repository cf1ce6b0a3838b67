package liveperson

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Messaging Operations parsers (REFERENCE.md §4).

type lpMsgQH struct {
	UnassignedConversations       poller.Num `json:"unassignedConversations"`
	ActionableConversations       poller.Num `json:"actionableConversations"`
	MaxWaitTimeForAgentAssignment poller.Num `json:"maxWaitTimeForAgentAssignment"` // ms
	P50                           poller.Num `json:"waitTimeForAgentAssignment_50thPercentile"`
	P90                           poller.Num `json:"waitTimeForAgentAssignment_90thPercentile"`
	OverdueConversationsTotal     poller.Num `json:"overdueConversationsTotal"`
	OverdueConversationsInQueue   poller.Num `json:"overdueConversationsInQueue"`
	OverdueConversationsAssigned  poller.Num `json:"overdueConversationsAssigned"`
}

// overdue is the documented total, or its two parts when only they came.
func (m lpMsgQH) overdue() snapshot.Opt[int64] {
	if m.OverdueConversationsTotal.Known() {
		return m.OverdueConversationsTotal.Count()
	}
	return sumOpt(m.OverdueConversationsInQueue.Count(), m.OverdueConversationsAssigned.Count())
}

type lpMsgQHBlock struct {
	SkillsMetrics map[string]lpMsgQH `json:"skillsMetrics"`
	MetricsTotal  *lpMsgQH           `json:"metricsTotal"`  // the key every example uses
	MetricsTotals *lpMsgQH           `json:"metricsTotals"` // the key the field table names
}

type lpMsgQHInterval struct {
	Timestamp   poller.Num    `json:"timestamp"`
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
		case x.Timestamp.Raw() < y.Timestamp.Raw():
			return -1
		case x.Timestamp.Raw() > y.Timestamp.Raw():
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
		override(&q.Waiting, m.UnassignedConversations.Count())
		override(&q.LongestWait, m.MaxWaitTimeForAgentAssignment.Millis())
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
		override(&b.msgWaiting, t.UnassignedConversations.Count())
	}
	return nil
}

type lpEWT struct {
	EstimatedWaitTimeResponse []struct {
		SkillID           lpID       `json:"skillId"`
		EstimatedWaitTime poller.Num `json:"estimatedWaitTime"` // seconds, -1 = no data
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
		override(&b.msg(string(r.SkillID)).EstimatedWait, r.EstimatedWaitTime.Seconds())
	}
	return nil
}

type lpConvMetrics struct {
	TotalResolvedConversations poller.Num `json:"totalResolvedConversations"`
}

// msgConversation applies GET /msgconversation?skillIds=all: conversations resolved
// in the window per skill (messaging Handled). Per agent they count since the daily
// reset, from the day request (todayResolved).
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
				override(&b.msg(id).Handled, t.TotalResolvedConversations.Count())
			}
		}
	}
	return nil
}

// histogramParam is the SLA histogram bounds for target: 0 is implied, so one bound
// at the target splits "within" from "after" (ServiceLevelFromHistogram counts
// buckets wholly under it).
func histogramParam(targetSec int) string { return strconv.Itoa(targetSec) }
