package liveperson

import (
	"fmt"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Parsers of the day answers (today.go). Field meanings: REFERENCE.md §3.1, §3.5,
// §4.1, §4.6 and §5.5.

// todayChat applies GET /queuehealth without skillIds over the day: the account's
// chat requests (entered the queue), handled (connected), abandoned and average
// wait since the reset.
func (b *lpBuild) todayChat(body []byte) error {
	var qh lpQueueHealth
	if err := lpDecode(body, &qh); err != nil {
		return fmt.Errorf("queuehealth today: %w", err)
	}
	t, ok := qh.totals()
	if !ok {
		return fmt.Errorf("queuehealth today: no metricsTotals")
	}
	b.today.ChatRequests = t.EnteredQEng.Count()
	b.today.Chats = t.ConnectedEng.Count()
	b.today.Abandoned = t.AbandonedEng.Count()
	b.today.AvgWait = t.avgWait()
	return nil
}

// todaySLA applies GET /sla?skillIds=all over the day: the account's service level.
func (b *lpBuild) todaySLA(target time.Duration, body []byte) error {
	buckets, err := slaBuckets(body)
	if err != nil {
		return fmt.Errorf("today: %w", err)
	}
	b.today.ServiceLevelTarget = snapshot.Some(target)
	b.today.ServiceLevel = snapshot.ServiceLevelFromHistogram(buckets, target)
	return nil
}

// todayResolved applies GET /msgconversation?agentIds=all over the day: conversations
// each agent resolved (their messaging handled today) and the account's total.
func (b *lpBuild) todayResolved(body []byte) error {
	var mc struct {
		lpActivity[lpConvMetrics]
		MetricsTotals *lpConvMetrics `json:"metricsTotals"`
	}
	if err := lpDecode(body, &mc); err != nil {
		return fmt.Errorf("msgconversation today: %w", err)
	}
	for id, n := range sumPerAgent(mc.lpActivity, func(m lpConvMetrics) snapshot.Opt[int64] { return m.TotalResolvedConversations.Count() }) {
		b.msgHandled[id] = n
	}
	switch {
	case mc.AgentsMetrics != nil && mc.AgentsMetrics.MetricsTotals != nil:
		b.today.Resolved = mc.AgentsMetrics.MetricsTotals.TotalResolvedConversations.Count()
	case mc.MetricsTotals != nil:
		b.today.Resolved = mc.MetricsTotals.TotalResolvedConversations.Count()
	}
	return nil
}

// lpCSATDist is one msgcsatdistribution metrics object.
type lpCSATDist struct {
	Total    poller.Num `json:"total_answers"`
	Positive poller.Num `json:"positive_answers"`
}

// csat is positive ÷ total answers, computed here because the scale of the
// vendor's csat_score is not documented; unknown with no answers.
func (m lpCSATDist) csat() snapshot.Opt[float64] {
	t, ok1 := m.Total.Value()
	p, ok2 := m.Positive.Value()
	if !ok1 || !ok2 || t <= 0 || p < 0 || p > t {
		return snapshot.None[float64]()
	}
	return snapshot.Some(p / t)
}

type lpCSATBlock struct {
	MetricsPerSkill map[string]struct {
		MetricsTotals *lpCSATDist `json:"metricsTotals"`
		MetricsTotal  *lpCSATDist `json:"metricsTotal"`
	} `json:"metricsPerSkill"`
	MetricsTotals *lpCSATDist `json:"metricsTotals"`
	MetricsTotal  *lpCSATDist `json:"metricsTotal"`
}

// csatDistribution applies GET /msgcsatdistribution?skillIds=all. No example exists
// and the docs disagree on the keys, so skillsMetrics and skillsMetricsPerAgent,
// metricsTotals and metricsTotal are all read. It fills CSAT where KMM gives none.
func (b *lpBuild) csatDistribution(body []byte) error {
	var raw struct {
		SkillsMetrics         *lpCSATBlock `json:"skillsMetrics"`
		SkillsMetricsPerAgent *lpCSATBlock `json:"skillsMetricsPerAgent"`
		MetricsTotals         *lpCSATDist  `json:"metricsTotals"`
		MetricsTotal          *lpCSATDist  `json:"metricsTotal"`
	}
	if err := lpDecode(body, &raw); err != nil {
		return fmt.Errorf("msgcsatdistribution: %w", err)
	}
	blk := raw.SkillsMetrics
	if blk == nil {
		blk = raw.SkillsMetricsPerAgent
	}
	if blk != nil {
		for id, s := range blk.MetricsPerSkill {
			m := firstPtr(s.MetricsTotals, s.MetricsTotal)
			if m == nil || id == "" {
				continue
			}
			q := b.msg(id)
			q.CSATAnswers = m.Total.Count()
			fill(&q.CSAT, m.csat())
			b.qualityWindow(q)
		}
	}
	if t := firstPtr(raw.MetricsTotals, raw.MetricsTotal, blkTotals(blk)); t != nil {
		fill(&b.today.CSAT, t.csat())
	}
	return nil
}

func blkTotals(b *lpCSATBlock) *lpCSATDist {
	if b == nil {
		return nil
	}
	return firstPtr(b.MetricsTotals, b.MetricsTotal)
}

func firstPtr[T any](ps ...*T) *T {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

// lpKMMQuality holds the KMM quality metrics (ms doubles, csat a ratio).
type lpKMMQuality struct {
	CSAT                     poller.Num `json:"csat"`
	AvgWaitTimeFirstResponse poller.Num `json:"avgWaitTimeFirstResponse"`
	AvgTimeToResponse        poller.Num `json:"avgTimeToResponse"`
}

// kmmCount reads a KMM answer's metadata.count (for paging).
func kmmCount(body []byte) (int, error) {
	var m lpKMMAnswer[lpKMMQuality]
	if err := lpDecode(body, &m); err != nil {
		return 0, fmt.Errorf("kmm metrics: %w", err)
	}
	return int(m.Metadata.Count.Count().Or(0)), nil
}

// kmmQuality applies one page of POST /metrics over the day grouped by skillId:
// CSAT, time to first response and response time per messaging skill, and the
// account's CSAT. Groups by anything but skillId are not skills and are ignored.
func (b *lpBuild) kmmQuality(body []byte) error {
	var m lpKMMAnswer[lpKMMQuality]
	if err := lpDecode(body, &m); err != nil {
		return fmt.Errorf("kmm metrics today: %w", err)
	}
	if f := m.GroupBy.GroupByField; f == "" || f == "skillId" {
		for _, g := range m.GroupBy.Groups {
			if g.Key == "" {
				continue
			}
			q := b.msg(string(g.Key))
			override(&q.CSAT, g.Metrics.CSAT.Ratio())
			override(&q.FirstResponse, g.Metrics.AvgWaitTimeFirstResponse.Millis())
			override(&q.ResponseTime, g.Metrics.AvgTimeToResponse.Millis())
			b.qualityWindow(q)
		}
	}
	if m.All != nil {
		override(&b.today.CSAT, m.All.CSAT.Ratio())
	}
	return nil
}

// qualityWindow stamps the day's start on a queue that has a quality figure.
func (b *lpBuild) qualityWindow(q *snapshot.Queue) {
	if q.CSAT.Known() || q.FirstResponse.Known() || q.ResponseTime.Known() || q.CSATAnswers.Known() {
		q.QualitySince = b.dayStart
	}
}
