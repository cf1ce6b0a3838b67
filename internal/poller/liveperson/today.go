package liveperson

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// The day so far: account "Today" figures and messaging quality over the window
// since the source's daily reset (Config.Day). They come from their own requests
// (the per-skill figures keep the configured timeframe) and change slowly, so the
// answers are fetched at most once per lpDayEvery and re-applied from the cache in
// between; crossing the reset makes them due at once.

// lpDayEvery is how often the day requests are repeated. The Operational Realtime
// data behind them moves in 5-minute buckets, so once a minute loses nothing.
const lpDayEvery = time.Minute

// lpDayCache keeps the raw day answers with the day start and time they were
// fetched at; an answer the account does not offer is kept as nil.
type lpDayCache struct {
	mu      sync.Mutex
	start   time.Time // the day the answers belong to
	fetched time.Time
	bodies  map[string][][]byte // per op: the answer, or every page of a KMM answer
}

// lpDayStep is one day request and the parser that applies its answer.
type lpDayStep struct {
	op, service, method, path string
	q                         url.Values
	body                      any
	apply                     func([]byte) error
	optional                  bool // "not enabled by default": a refusal leaves it unknown
}

// pollDay applies the day answers, fetching them first when due.
func (l *Source) pollDay(ctx context.Context, b *lpBuild, now time.Time) error {
	steps := l.daySteps(b, now)
	dc := l.day
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if !dc.start.Equal(b.dayStart) || now.Sub(dc.fetched) >= lpDayEvery || now.Before(dc.fetched) {
		bodies := map[string][][]byte{}
		for _, s := range steps {
			got, err := l.fetchDayStep(ctx, s)
			if err != nil {
				return err
			}
			bodies[s.op] = got
		}
		dc.start, dc.fetched, dc.bodies = b.dayStart, now, bodies
	}
	for _, s := range steps {
		for _, body := range dc.bodies[s.op] {
			if err := s.apply(body); err != nil {
				return badResponse("liveperson "+s.op, err)
			}
		}
	}
	return nil
}

// fetchDayStep sends one day request (every page of a KMM one); nothing for an
// optional method the account refuses.
func (l *Source) fetchDayStep(ctx context.Context, s lpDayStep) ([][]byte, error) {
	if s.method == http.MethodPost {
		var got [][]byte
		err := l.pages(ctx, s.service, s.path, "key:asc", s.body, "liveperson "+s.op, func(body []byte) (int, error) {
			got = append(got, body)
			return kmmCount(body)
		})
		return got, err
	}
	body, err := l.call(ctx, s.method, s.service, s.path, s.q, nil, "liveperson "+s.op)
	if s.optional && notEnabled(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return [][]byte{body}, nil
}

// daySteps lists the day requests of the families the source polls.
func (l *Source) daySteps(b *lpBuild, now time.Time) []lpDayStep {
	tf := strconv.Itoa(b.dayMinutes)
	var steps []lpDayStep
	if l.polls(FamilyChat) {
		target := l.cfg.SLATarget
		steps = append(steps,
			lpDayStep{op: "queuehealth today", service: serviceDataReporting, method: http.MethodGet, path: l.opsPath("queuehealth"),
				q: url.Values{"timeframe": {tf}, "v": {"1"}}, apply: b.todayChat},
			lpDayStep{op: "sla today", service: serviceDataReporting, method: http.MethodGet, path: l.opsPath("sla"),
				q:     url.Values{"timeframe": {tf}, "skillIds": {"all"}, "histogram": {histogramParam(int(target / time.Second))}, "v": {"1"}},
				apply: func(body []byte) error { return b.todaySLA(target, body) }})
	}
	if l.polls(FamilyMessaging) {
		steps = append(steps,
			lpDayStep{op: "msgconversation today", service: serviceDataReporting, method: http.MethodGet, path: l.opsPath("msgconversation"),
				q: url.Values{"timeframe": {tf}, "agentIds": {"all"}, "v": {"1"}}, apply: b.todayResolved, optional: true},
			lpDayStep{op: "msgcsatdistribution", service: serviceDataReporting, method: http.MethodGet, path: l.opsPath("msgcsatdistribution"),
				q: url.Values{"timeframe": {tf}, "skillIds": {"all"}, "v": {"1"}}, apply: b.csatDistribution, optional: true})
		if l.cfg.Agents == AgentsKMM {
			steps = append(steps, lpDayStep{op: "kmm metrics today", service: serviceKMM, method: http.MethodPost,
				path: "/manager_workspace/api/account/" + url.PathEscape(l.cfg.AccountID) + "/metrics",
				body: map[string]any{
					"filters": l.dayFilters(b.dayStart, now), "groupBy": "skillId", "responseSections": []string{"groupBy", "all"},
					"metricsToRetrieveByTime": []string{"csat", "avg_wait_time_first_response", "avg_time_to_response"},
				},
				apply: b.kmmQuality})
		}
	}
	return steps
}

// dayFilters is the KMM time filter for the day so far: from the reset (at most 24 h
// back) to now, on whole minutes and at least one minute long.
func (l *Source) dayFilters(start, now time.Time) map[string]any {
	to := now.Truncate(time.Minute)
	from := start.Truncate(time.Minute)
	if to.Sub(from) > snapshot.MaxDayWindow {
		from = to.Add(-snapshot.MaxDayWindow)
	}
	if !to.After(from) {
		from = to.Add(-time.Minute)
	}
	return map[string]any{"time": map[string]int64{"from": from.UnixMilli(), "to": to.UnixMilli()}}
}
