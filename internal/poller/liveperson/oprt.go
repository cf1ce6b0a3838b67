package liveperson

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Operational Realtime (chat) parsers. Each one decodes a documented answer and
// writes it into the build. Field meanings and units: REFERENCE.md §3.

type lpQHMetrics struct {
	EnteredQEng           poller.Num `json:"enteredQEng"`
	ConnectedEng          poller.Num `json:"connectedEng"`
	AbandonedEng          poller.Num `json:"abandonedEng"`
	AbandonmentRate       poller.Num `json:"abandonmentRate"`
	TotalTimeToAnswer     poller.Num `json:"totalTimeToAnswer"` // seconds, summed
	AvgTimeToAnswer       poller.Num `json:"avgTimeToAnswer"`   // seconds, truncated to long
	CurrentQueueState     poller.Num `json:"currentQueueState"` // the per-skill spelling
	CurrentQueueSize      poller.Num `json:"currentQueueSize"`  // the totals/interval spelling
	CurrentAvailableSlots poller.Num `json:"currentAvailableSlots"`
}

// avgWait is the mean time to answer. The documented avgTimeToAnswer is truncated to
// whole seconds (the example has 7 s over 3 chats as 0), so it is recomputed from
// the sum when possible.
func (m lpQHMetrics) avgWait() snapshot.Opt[time.Duration] {
	if m.TotalTimeToAnswer.Known() && m.ConnectedEng.Known() && m.ConnectedEng.Raw() > 0 && m.TotalTimeToAnswer.Raw() >= 0 {
		return snapshot.Seconds(m.TotalTimeToAnswer.Raw() / m.ConnectedEng.Raw())
	}
	if m.ConnectedEng.Known() && m.ConnectedEng.Raw() == 0 {
		return snapshot.None[time.Duration]() // nobody answered: no average
	}
	return m.AvgTimeToAnswer.Seconds()
}

type lpQHBlock struct {
	SkillsMetrics map[string]lpQHMetrics `json:"skillsMetrics"`
	MetricsTotals *lpQHMetrics           `json:"metricsTotals"`
	MetricsTotal  *lpQHMetrics           `json:"metricsTotal"`
}

func (b lpQHBlock) totals() (lpQHMetrics, bool) {
	switch {
	case b.MetricsTotals != nil:
		return *b.MetricsTotals, true
	case b.MetricsTotal != nil:
		return *b.MetricsTotal, true
	}
	return lpQHMetrics{}, false
}

type lpQHInterval struct {
	Timestamp   poller.Num `json:"timestamp"`
	MetricsData *lpQHBlock `json:"metricsData"`
	lpQHBlock
}

func (iv lpQHInterval) block() lpQHBlock {
	if iv.MetricsData != nil {
		return *iv.MetricsData
	}
	return iv.lpQHBlock
}

type lpQueueHealth struct {
	lpQHBlock
	MetricsByIntervals []lpQHInterval `json:"metricsByIntervals"`
}

// queueHealth applies GET /queuehealth (timeframe = b.timeframe, interval =
// b.interval): whole-window figures per skill, plus the latest interval for the
// "last 30 minutes" fields. Current queue values are only filled here if
// queuestate has not set them.
func (b *lpBuild) queueHealth(body []byte) error {
	var qh lpQueueHealth
	if err := lpDecode(body, &qh); err != nil {
		return fmt.Errorf("queuehealth: %w", err)
	}
	for id, m := range qh.SkillsMetrics {
		q := b.chat(id)
		fill(&q.Handled, m.ConnectedEng.Count())
		fill(&q.AbandonRate, m.AbandonmentRate.Ratio())
		fill(&q.Waiting, m.CurrentQueueState.Or(m.CurrentQueueSize).Count())
		fill(&q.AvailableSlots, m.CurrentAvailableSlots.Count())
		setWindowWait(q, b.timeframe, m.avgWait())
		if b.timeframe == 30 {
			fill(&q.Abandoned30m, m.AbandonedEng.Count())
		}
	}
	if t, ok := qh.totals(); ok {
		fill(&b.chatWaiting, t.CurrentQueueSize.Or(t.CurrentQueueState).Count())
	}
	// Intervals come oldest-first in one example and newest-first in others: take
	// the one with the latest timestamp. It ends at most 5 minutes in the future.
	if len(qh.MetricsByIntervals) == 0 || b.interval == b.timeframe {
		return nil
	}
	latest := slices.MaxFunc(qh.MetricsByIntervals, func(x, y lpQHInterval) int {
		switch {
		case x.Timestamp.Raw() < y.Timestamp.Raw():
			return -1
		case x.Timestamp.Raw() > y.Timestamp.Raw():
			return 1
		}
		return 0
	})
	for id, m := range latest.block().SkillsMetrics {
		q := b.chat(id)
		setWindowWait(q, b.interval, m.avgWait())
		if b.interval == 30 {
			fill(&q.Abandoned30m, m.AbandonedEng.Count())
		}
	}
	return nil
}

type lpQueueState struct {
	Skills map[string]struct {
		CurrentAvailableSlots     poller.Num `json:"currentAvailableSlots"`
		CurrentQueueSize          poller.Num `json:"currentQueueSize"`
		CurrentQueueState         poller.Num `json:"currentQueueState"`
		CurrentMaxWaitTimeInQueue poller.Num `json:"currentMaxWaitTimeInQueue"` // ms, v=2 only
	} `json:"skills"`
	Totals struct {
		CurrentQueueSize poller.Num `json:"currentQueueSize"`
	} `json:"totals"`
}

// queueState applies GET /queuestate?v=2, the authoritative "now" figures.
func (b *lpBuild) queueState(body []byte) error {
	var qs lpQueueState
	if err := lpDecode(body, &qs); err != nil {
		return fmt.Errorf("queuestate: %w", err)
	}
	for id, s := range qs.Skills {
		q := b.chat(id)
		override(&q.Waiting, s.CurrentQueueSize.Or(s.CurrentQueueState).Count())
		override(&q.AvailableSlots, s.CurrentAvailableSlots.Count())
		longest := s.CurrentMaxWaitTimeInQueue.Millis()
		// -1 means "nobody waiting": with an empty queue the longest wait is zero,
		// which a board should show as 0:00, not as unknown.
		if n, ok := q.Waiting.Get(); ok && n == 0 && !longest.Known() && s.CurrentMaxWaitTimeInQueue.Known() {
			longest = snapshot.Some(time.Duration(0))
		}
		override(&q.LongestWait, longest)
	}
	override(&b.chatWaiting, qs.Totals.CurrentQueueSize.Count())
	return nil
}

type lpSLA struct {
	SLADataRange map[string]struct {
		Chats poller.Num `json:"chats"`
	} `json:"slaDataRange"`
}

// slaBuckets decodes GET /sla into histogram buckets (keys are bucket lower bounds
// in seconds).
func slaBuckets(body []byte) ([]snapshot.Bucket, error) {
	var s lpSLA
	if err := lpDecode(body, &s); err != nil {
		return nil, fmt.Errorf("sla: %w", err)
	}
	var out []snapshot.Bucket
	for k, v := range s.SLADataRange {
		from, err := strconv.ParseFloat(k, 64)
		if err != nil || from < 0 || !v.Chats.Known() || v.Chats.Raw() < 0 {
			continue
		}
		out = append(out, snapshot.Bucket{From: time.Duration(from * float64(time.Second)), Count: int64(v.Chats.Raw())})
	}
	return out, nil
}

// sla applies one skill's SLA histogram against its target.
func (b *lpBuild) sla(skillID string, target time.Duration, body []byte) error {
	buckets, err := slaBuckets(body)
	if err != nil {
		return err
	}
	q := b.chat(skillID)
	q.ServiceLevelTarget = snapshot.Some(target)
	q.ServiceLevel = snapshot.ServiceLevelFromHistogram(buckets, target)
	return nil
}

type lpEngMetrics struct {
	TotalInteractiveChats poller.Num `json:"totalInteractiveChats"`
}

type lpPerAgent[M any] struct {
	MetricsPerAgent map[string]M `json:"metricsPerAgent"`
	MetricsTotals   *M           `json:"metricsTotals"`
}

type lpPerSkill[M any] struct {
	MetricsPerSkill map[string]struct {
		MetricsPerAgent map[string]M `json:"metricsPerAgent"`
		MetricsTotals   *M           `json:"metricsTotals"`
		MetricsTotal    *M           `json:"metricsTotal"`
	} `json:"metricsPerSkill"`
}

// lpActivity is the envelope Engagement Activity and Messaging Conversation share.
// The field table calls the per-skill element skillsMetrics, every example
// skillsMetricsPerAgent: both are read.
type lpActivity[M any] struct {
	SkillsMetricsPerAgent *lpPerSkill[M] `json:"skillsMetricsPerAgent"`
	SkillsMetrics         *lpPerSkill[M] `json:"skillsMetrics"`
	AgentsMetrics         *lpPerAgent[M] `json:"agentsMetrics"`
}

func (a lpActivity[M]) perSkill() *lpPerSkill[M] {
	if a.SkillsMetricsPerAgent != nil {
		return a.SkillsMetricsPerAgent
	}
	return a.SkillsMetrics
}

// perAgent returns per-agent metrics: the agentsMetrics section, or, when only
// skills were requested, every skill's agents (summed by the caller).
func (a lpActivity[M]) perAgent() map[string][]M {
	out := map[string][]M{}
	if a.AgentsMetrics != nil {
		for id, m := range a.AgentsMetrics.MetricsPerAgent {
			out[id] = append(out[id], m)
		}
		return out
	}
	if ps := a.perSkill(); ps != nil {
		for _, s := range ps.MetricsPerSkill {
			for id, m := range s.MetricsPerAgent {
				out[id] = append(out[id], m)
			}
		}
	}
	return out
}

// engActivity applies GET /engactivity?agentIds=all: chats each agent handled
// (interactive chats closed in the window).
func (b *lpBuild) engActivity(body []byte) error {
	var ea lpActivity[lpEngMetrics]
	if err := lpDecode(body, &ea); err != nil {
		return fmt.Errorf("engactivity: %w", err)
	}
	for id, n := range sumPerAgent(ea, func(m lpEngMetrics) snapshot.Opt[int64] { return m.TotalInteractiveChats.Count() }) {
		b.chatHandled[id] = n
	}
	return nil
}

// sumPerAgent sums one count per agent over the answer's per-agent metrics.
func sumPerAgent[M any](a lpActivity[M], count func(M) snapshot.Opt[int64]) map[string]snapshot.Opt[int64] {
	out := map[string]snapshot.Opt[int64]{}
	for id, ms := range a.perAgent() {
		var n []snapshot.Opt[int64]
		for _, m := range ms {
			n = append(n, count(m))
		}
		out[id] = sumOpt(n...)
	}
	return out
}
