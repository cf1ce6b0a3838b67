package liveperson

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// Operational Realtime agentactivity state ids (the docs: use ids, not names).
const (
	activityLoggedIn = -1
	activityOnline   = 2
	activityBackSoon = 3
	activityAway     = 4
)

// handleLPAgentActivity is GET or POST .../agentactivity: time per state for chat
// agents. v, timeframe (1..1440) and agentIds (a list or "all") are required;
// interval is optional (at least 5 and a divisor of timeframe). POST carries the same
// parameters as a JSON object, with string or number values as the docs and clients
// disagree. The window is (now − timeframe, now] of the floor's presence record, so
// a connector whose day began at a reset asks for exactly the minutes since it.
// Only the "Logged in" entry splits chatting from not chatting: the floor knows time
// with an open contact per agent, not per state.
func (s *server) handleLPAgentActivity(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		q, err := activityBody(r)
		if err != nil {
			writeLP400(w, err.Error())
			return
		}
		r2 := *r
		u := *r.URL
		u.RawQuery = q.Encode()
		r2.URL = &u
		r = &r2
	}
	tf, _, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	ids := r.URL.Query().Get("agentIds")
	if ids == "" {
		writeLP400(w, "agentIds is required")
		return
	}
	want := map[string]bool{}
	for id := range strings.SplitSeq(ids, ",") {
		want[strings.TrimSpace(id)] = true
	}
	per := map[string]any{}
	s.View(func(wd *simulator.World) {
		from := wd.Now.Add(-time.Duration(tf) * time.Minute)
		for _, a := range wd.AgentsOf(simulator.VendorLivePerson) {
			if !want["all"] && !want[a.ID] {
				continue
			}
			if e := activityOf(wd.ActivitySince(a, from)); e != nil {
				per[a.ID] = e
			}
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{
		"agentsMetrics": map[string]any{"metricsPerAgent": per, "metricsTotals": []any{}}})
}

// activityBody reads a POST body's parameters as query values.
func activityBody(r *http.Request) (url.Values, error) {
	var raw map[string]any
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&raw); err != nil {
		return nil, fmt.Errorf("body must be a JSON object")
	}
	q := url.Values{}
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			q.Set(k, x)
		case float64:
			q.Set(k, fmt.Sprint(int64(x)))
		default:
			return nil, fmt.Errorf("%s must be a string or a number", k)
		}
	}
	return q, nil
}

// activityOf is one agent's state list, nil for an agent not logged in in the window.
func activityOf(ac simulator.Activity) []map[string]any {
	t := ac.Status
	online, away, back := t[simulator.StatusOnline], t[simulator.StatusAway], t[simulator.StatusBackSoon]
	logged := ac.LoggedIn()
	if logged <= 0 {
		return nil
	}
	value := func(total, chatting time.Duration) map[string]any {
		return map[string]any{"total": secs(total), "chatting": secs(chatting),
			"notChatting": secs(total - chatting), "chattingInMaxConcurrency": 0}
	}
	reasons := []map[string]any{}
	ids := make([]string, 0, len(ac.Reasons))
	for id := range ac.Reasons {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		reasons = append(reasons, map[string]any{"id": id, "value": value(ac.Reasons[id], 0)})
	}
	return []map[string]any{
		{"id": activityOnline, "name": "Online", "value": value(online, 0)},
		{"id": activityBackSoon, "name": "Back in 5", "value": value(back, 0)},
		{"id": activityAway, "name": "Away", "value": value(away, 0), "reasons": reasons},
		{"id": activityLoggedIn, "name": "Logged in", "value": value(logged, min(ac.Chatting, logged))},
	}
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }
