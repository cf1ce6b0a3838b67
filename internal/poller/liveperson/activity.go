package liveperson

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Operational Realtime agentactivity state ids; the docs say to go by id, not name
// (the examples say "Back in 5", the table "Back soon").
const (
	activityLoggedIn = -1
	activityOnline   = 2
	activityBackSoon = 3
	activityAway     = 4
)

// lpActivityState is one state entry of agentactivity; value is in seconds.
type lpActivityState struct {
	ID    poller.Num `json:"id"`
	Value struct {
		Total       poller.Num `json:"total"`
		Chatting    poller.Num `json:"chatting"`
		NotChatting poller.Num `json:"notChatting"`
	} `json:"value"`
	Reasons []struct {
		ID    lpID `json:"id"`
		Value struct {
			Total poller.Num `json:"total"`
		} `json:"value"`
	} `json:"reasons"`
}

// agentActivity applies GET /agentactivity?agentIds=all: time logged in and per state
// over window (the day so far). The Away entry's own total can be 0 while its reasons
// and notChatting are not (documented example), so away time is the largest of the
// three readings.
func (b *lpBuild) agentActivity(window time.Duration, body []byte) error {
	var raw struct {
		AgentsMetrics *struct {
			MetricsPerAgent map[string][]lpActivityState `json:"metricsPerAgent"`
		} `json:"agentsMetrics"`
	}
	if err := lpDecode(body, &raw); err != nil {
		return fmt.Errorf("agentactivity: %w", err)
	}
	if raw.AgentsMetrics == nil {
		return fmt.Errorf("agentactivity: no agentsMetrics")
	}
	for id, states := range raw.AgentsMetrics.MetricsPerAgent {
		act := &snapshot.Activity{Window: window, Since: b.dayStart}
		for _, st := range states {
			v, _ := st.ID.Value()
			switch int(v) {
			case activityLoggedIn:
				act.LoggedIn = st.Value.Total.Seconds()
				act.Chatting = st.Value.Chatting.Seconds()
			case activityOnline:
				act.Online = st.Value.Total.Seconds()
			case activityBackSoon:
				act.BackSoon = st.Value.Total.Seconds()
			case activityAway:
				act.Away, act.AwayReasons = b.awayTime(st)
			}
		}
		b.activity[id] = act
	}
	return nil
}

// awayTime reads the Away entry: its time and the time per named reason.
func (b *lpBuild) awayTime(st lpActivityState) (snapshot.Opt[time.Duration], []snapshot.ReasonTime) {
	away := st.Value.Total.Seconds()
	var reasons []snapshot.ReasonTime
	var sum time.Duration
	for _, r := range st.Reasons {
		d, ok := r.Value.Total.Seconds().Get()
		if !ok || !r.ID.known() {
			continue
		}
		text := b.reasons[string(r.ID)]
		if text == "" {
			text = string(r.ID)
		}
		reasons = append(reasons, snapshot.ReasonTime{Reason: text, Time: d})
		sum += d
	}
	slices.SortStableFunc(reasons, func(x, y snapshot.ReasonTime) int {
		return cmp.Or(cmp.Compare(y.Time, x.Time), cmp.Compare(x.Reason, y.Reason))
	})
	if nc, ok := st.Value.NotChatting.Seconds().Get(); ok && nc > away.Or(0) {
		away = snapshot.Some(nc)
	}
	if away.Known() && sum > away.Or(0) {
		away = snapshot.Some(sum)
	}
	return away, reasons
}
