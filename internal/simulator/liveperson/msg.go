package liveperson

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Messaging Operations, Key Messaging Metrics, Agent Metrics and account config.

// lpOverdue is when a waiting messaging conversation counts as overdue here (the real
// threshold is a per-skill response-time SLA).
const lpOverdue = time.Hour

func (s *server) handleLPMsgQueueHealth(w http.ResponseWriter, r *http.Request) {
	if _, _, msg := lpWindow(r, false); msg != "" {
		writeLP400(w, msg)
		return
	}
	out := map[string]any{}
	s.View(func(wd *simulator.World) {
		skills := map[string]any{}
		totalN, totalMax, totalOver := 0, int64(-1), 0
		for _, sk := range lpSkills(wd, snapshot.Messaging) {
			n, longest := waitingLongest(wd, sk.ID, snapshot.Messaging)
			over := 0
			for _, c := range wd.WaitingIn(sk.ID, string(snapshot.Messaging)) {
				if wd.Now.Sub(c.Arrived) > lpOverdue {
					over++
				}
			}
			maxMs := int64(-1)
			if n > 0 {
				maxMs = longest.Milliseconds()
			}
			skills[sk.ID] = map[string]any{
				"time": wd.Now.UnixMilli(), "unassignedConversations": n, "actionableConversations": n,
				"notActionableConversations": 0, "maxWaitTimeForAgentAssignment": maxMs,
				"overdueConversationsInQueue": over, "overdueConversationsAssigned": 0, "overdueConversationsTotal": over,
			}
			totalN += n
			totalMax = max(totalMax, maxMs)
			totalOver += over
		}
		out["skillsMetrics"] = skills
		out["metricsTotal"] = map[string]any{"unassignedConversations": totalN, "maxWaitTimeForAgentAssignment": totalMax,
			"overdueConversationsTotal": totalOver}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPMsgConversation(w http.ResponseWriter, r *http.Request) {
	tf, _, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	metric := func(n int) map[string]any {
		return map[string]any{"totalResolvedConversations": n, "resolvedConversations_byCCP": n,
			"resolvedConversations_byConsumer": 0, "resolvedConversations_bySystem": 0}
	}
	out := map[string]any{}
	s.View(func(wd *simulator.World) {
		from := wd.Now.Add(-time.Duration(tf) * time.Minute)
		perSkill := map[string]any{}
		for _, sk := range lpSkills(wd, snapshot.Messaging) {
			st := windowStats(wd, sk.ID, snapshot.Messaging, from)
			agents := map[string]any{}
			for id, n := range st.closedBy {
				agents[id] = metric(n)
			}
			perSkill[sk.ID] = map[string]any{"metricsPerAgent": agents, "metricsTotals": metric(st.closed)}
		}
		all := windowStats(wd, "", snapshot.Messaging, from)
		perAgent := map[string]any{}
		for id, n := range all.closedBy {
			perAgent[id] = metric(n)
		}
		out["skillsMetricsPerAgent"] = map[string]any{"metricsPerSkill": perSkill, "metricsTotals": metric(all.closed)}
		out["agentsMetrics"] = map[string]any{"metricsPerAgent": perAgent, "metricsTotals": metric(all.closed)}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPEWT(w http.ResponseWriter, r *http.Request) {
	var list []map[string]any
	s.View(func(wd *simulator.World) {
		for _, sk := range lpSkills(wd, snapshot.Messaging) {
			q := wd.QueueFigures(sk.ID, snapshot.Messaging)
			ewt := int64(-1) // no data until someone was answered recently
			if q.Answered30m > 0 {
				ewt = int64(q.AvgWait30m / time.Second)
			}
			id, _ := strconv.ParseInt(sk.ID, 10, 64)
			list = append(list, map[string]any{"skillId": id, "estimatedWaitTime": ewt, "timestamp": wd.Now.UnixMilli()})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"estimatedWaitTimeResponse": list})
}

// lpKMMRequest is the part of a KMM body the simulator checks.
type lpKMMRequest struct {
	Filters *struct {
		Time *struct {
			From int64 `json:"from"`
			To   int64 `json:"to"`
		} `json:"time"`
	} `json:"filters"`
	GroupBy string `json:"groupBy"`
}

// lpPage validates a KMM/Agent Metrics POST: JSON body, filters.time (≤ 24 h, from
// not after now) when needTime, limit ≤ maxLimit, offset+limit ≤ 1000. It returns
// the window length.
func lpPage(w http.ResponseWriter, r *http.Request, now time.Time, needTime bool, maxLimit int) (req lpKMMRequest, offset, limit int, window time.Duration, ok bool) {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		writeLP400(w, "body must be a JSON object")
		return req, 0, 0, 0, false
	}
	q := r.URL.Query()
	offset, limit = 0, 50
	var err1, err2 error
	if v := q.Get("offset"); v != "" {
		offset, err1 = strconv.Atoi(v)
	}
	if v := q.Get("limit"); v != "" {
		limit, err2 = strconv.Atoi(v)
	}
	if err1 != nil || err2 != nil || offset < 0 || limit < 1 || limit > maxLimit || offset+limit > 1000 {
		writeLP400(w, "invalid offset/limit")
		return req, 0, 0, 0, false
	}
	if needTime {
		if req.Filters == nil || req.Filters.Time == nil || req.Filters.Time.To <= req.Filters.Time.From ||
			req.Filters.Time.To-req.Filters.Time.From > 24*3600*1000 {
			writeLP400(w, "filters.time is required and at most 24 hours")
			return req, 0, 0, 0, false
		}
		if time.UnixMilli(req.Filters.Time.From).After(now.Add(time.Minute)) {
			writeLP400(w, "filters.time.from is in the future")
			return req, 0, 0, 0, false
		}
		window = time.Duration(req.Filters.Time.To-req.Filters.Time.From) * time.Millisecond
	}
	return req, offset, limit, window, true
}

func pageOf[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return []T{}
	}
	return all[offset:min(offset+limit, len(all))]
}

func (s *server) handleLPKMMMetrics(w http.ResponseWriter, r *http.Request) {
	req, offset, limit, window, ok := lpPage(w, r, s.latest(), true, 50)
	if !ok {
		return
	}
	var groups []map[string]any
	all := map[string]any{}
	s.View(func(wd *simulator.World) {
		// The time filter's length is taken back from the simulated now, so a client
		// on the real clock still asks about the simulated window.
		from := wd.Now.Add(-window)
		assignedAll := 0
		for _, sk := range lpSkills(wd, snapshot.Messaging) {
			st := windowStats(wd, sk.ID, snapshot.Messaging, from)
			n, _ := waitingLongest(wd, sk.ID, snapshot.Messaging)
			assigned := len(wd.Ongoing(sk.ID, string(snapshot.Messaging)))
			assignedAll += assigned
			var online, away, back int
			for _, a := range wd.AgentsOf(simulator.VendorLivePerson) {
				if !a.Serves(sk.ID) {
					continue
				}
				switch a.Status {
				case simulator.StatusOnline:
					online++
				case simulator.StatusAway:
					away++
				case simulator.StatusBackSoon:
					back++
				}
			}
			m := map[string]any{
				"assignedConversations": assigned, "unassignedConversations": n, "availableSlots": freeSlots(wd, sk.ID),
				"closedConversations": st.closed, "onlineAgents": online, "awayAgents": away, "backSoonAgents": back,
				"overdueConversationsTotal": 0,
			}
			if st.answered > 0 {
				m["avgWaitTime"] = float64(st.waitSum.Milliseconds()) / float64(st.answered)
			}
			addQuality(m, wd.QualitySince(simulator.VendorLivePerson, sk.ID, snapshot.Messaging, from))
			groups = append(groups, map[string]any{"key": sk.ID, "keyDescription": sk.Name, "metrics": m})
		}
		all["assignedConversations"] = assignedAll
		addQuality(all, wd.QualitySince(simulator.VendorLivePerson, "", snapshot.Messaging, from))
	})
	out := map[string]any{"metadata": map[string]any{"count": 0}, "all": all}
	if req.GroupBy == "skillId" {
		out["metadata"] = map[string]any{"count": len(groups)}
		out["groupBy"] = map[string]any{"groupByField": "skillId", "groups": pageOf(groups, offset, limit)}
	}
	simulator.WriteJSON(w, http.StatusOK, out)
}

// lpStatus is the KMM / Agent Metrics status name.
func lpStatus(st simulator.Status) string {
	switch st {
	case simulator.StatusOnline:
		return "ONLINE"
	case simulator.StatusAway:
		return "AWAY"
	case simulator.StatusBackSoon:
		return "BACK_SOON"
	}
	return "OFFLINE"
}

func lpAgentSkills(wd *simulator.World, a *simulator.Agent, numeric bool) []map[string]any {
	out := []map[string]any{}
	for _, id := range a.Skills {
		var v any = id
		if numeric {
			v, _ = strconv.ParseInt(id, 10, 64)
		}
		name := id
		if sk := wd.Skill(id); sk != nil {
			name = sk.Name
		}
		out = append(out, map[string]any{"skillId": v, "skillName": name})
	}
	return out
}

// lpReasonID is the agent's status reason id, "NA" when none.
func lpReasonID(a *simulator.Agent) string {
	if a.Status == simulator.StatusAway && a.ReasonID != "" {
		return a.ReasonID
	}
	return "NA"
}

func (s *server) handleLPAgentView(w http.ResponseWriter, r *http.Request) {
	_, offset, limit, window, ok := lpPage(w, r, s.latest(), true, 50)
	if !ok {
		return
	}
	var recs []map[string]any
	s.View(func(wd *simulator.World) {
		all := windowStats(wd, "", snapshot.Messaging, wd.Now.Add(-window))
		for i, a := range wd.AgentsOf(simulator.VendorLivePerson) {
			if a.Status == simulator.StatusOffline {
				continue
			}
			load := 0.0
			if a.MaxChats > 0 {
				load = float64(len(a.Open)) / float64(a.MaxChats)
			}
			rec := map[string]any{
				"agentId": a.ID, "agentGroupId": -1, "agentCurrentStatus": lpStatus(a.Status),
				"agentCurrentStatusStartTime": a.Since.UnixMilli(),
				"activeConversations":         len(a.Open), "assignedConversations": len(a.Open),
				"agentLoad": load, "maxSlots": a.MaxChats, "closedConversations": all.closedBy[a.ID],
				"agentMetadata": map[string]any{"agentName": a.Name, "agentNickname": a.Name, "agentLoginName": a.Email,
					"agentGroupName": "Main Group", "configuredMaxSlots": a.MaxChats, "agentSkills": lpAgentSkills(wd, a, true)},
			}
			// The docs disagree on the reason field's name; serve both.
			if i%2 == 0 {
				rec["agentCurrentStatusReasonId"] = lpReasonID(a)
			} else {
				rec["agentCurrentStatusReason"] = lpReasonID(a)
			}
			recs = append(recs, rec)
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"metadata": map[string]any{"count": len(recs)}, "agentViewRecords": pageOf(recs, offset, limit)})
}

func (s *server) handleLPAgentStatus(w http.ResponseWriter, r *http.Request) {
	_, offset, limit, _, ok := lpPage(w, r, s.latest(), false, 1000)
	if !ok {
		return
	}
	var recs []map[string]any
	s.View(func(wd *simulator.World) {
		for _, a := range wd.AgentsOf(simulator.VendorLivePerson) {
			if a.Status == simulator.StatusOffline {
				continue
			}
			rec := map[string]any{
				"agentId": a.ID, "agentName": a.Name, "agentNickname": a.Name, "agentLoginName": a.Email,
				"currentStatus": lpStatus(a.Status), "currentStatusStartTimeL": a.Since.UnixMilli(),
				"currentStatusDuration": wd.Now.Sub(a.Since).Milliseconds(),
				"load":                  float64(len(a.Open)) / float64(max(a.MaxChats, 1)) * 100, // percent, as in the older docs
				"configuredMaxSlots":    a.MaxChats, "busySlots": len(a.Open), "openAssignedConversations": len(a.Open),
				"agentSkills": lpAgentSkills(wd, a, false), "agentGroupId": -1, "agentPresence": "true",
			}
			if id := lpReasonID(a); id != "NA" {
				rec["currentStatusReason"] = id
			}
			recs = append(recs, rec)
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"_metadata": map[string]any{"count": len(recs)},
		"accountID": s.cfg.LivePerson.AccountID, "agentStatusRecords": pageOf(recs, offset, limit)})
}

func (s *server) handleLPSkills(w http.ResponseWriter, _ *http.Request) {
	var out []map[string]any
	s.View(func(wd *simulator.World) {
		for _, sk := range wd.SkillsOf(simulator.VendorLivePerson) {
			id, _ := strconv.ParseInt(sk.ID, 10, 64)
			out = append(out, map[string]any{"id": id, "name": sk.Name, "deleted": false})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPReasons(w http.ResponseWriter, _ *http.Request) {
	var out []map[string]any
	s.View(func(wd *simulator.World) {
		for _, rs := range wd.ReasonsOf(simulator.VendorLivePerson) {
			if rs.System {
				continue
			}
			id, _ := strconv.ParseInt(rs.ID, 10, 64)
			out = append(out, map[string]any{"id": id, "text": rs.Name, "state": "Away", "enabled": true, "deleted": false})
		}
	})
	w.Header().Set("ac-revision", "1")
	simulator.WriteJSON(w, http.StatusOK, out)
}
