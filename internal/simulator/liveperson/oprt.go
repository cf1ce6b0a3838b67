package liveperson

import (
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Operational Realtime endpoints. Intervals are anchored at the simulated now (the
// real API aligns them to 5-minute buckets); a window is (now-size, now], the same
// convention as the ground truth, so figures agree exactly.

func qhMetrics(wd *simulator.World, skill string, from time.Time, current bool) map[string]any {
	st := windowStats(wd, skill, snapshot.Chat, from)
	rate := 0.0
	if st.answered+st.abandoned > 0 {
		rate = math.Round(float64(st.abandoned)/float64(st.answered+st.abandoned)*1e4) / 1e4
	}
	avg := 0
	if st.answered > 0 {
		avg = int(st.waitSum / time.Second / time.Duration(st.answered))
	}
	m := map[string]any{
		"enteredQEng": st.entered, "connectedEng": st.answered, "abandonedEng": st.abandoned,
		"abandonmentRate": rate, "totalTimeToAnswer": int(st.waitSum / time.Second), "avgTimeToAnswer": avg,
		"currentQueueSize": -1, "currentAvailableSlots": -1,
	}
	if current {
		n, _ := waitingLongest(wd, skill, snapshot.Chat)
		slots := freeSlots(wd, skill)
		if skill != "" {
			// The documented per-skill spelling; totals use currentQueueSize.
			delete(m, "currentQueueSize")
			m["currentQueueState"] = n
		} else {
			n, slots = 0, 0
			for _, sk := range lpSkills(wd, snapshot.Chat) {
				k, _ := waitingLongest(wd, sk.ID, snapshot.Chat)
				n += k
				slots += freeSlots(wd, sk.ID)
			}
			m["currentQueueSize"] = n
		}
		m["currentAvailableSlots"] = slots
	}
	return m
}

func (s *server) handleLPQueueHealth(w http.ResponseWriter, r *http.Request) {
	tf, iv, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	var out map[string]any
	s.View(func(wd *simulator.World) {
		block := func(from time.Time, current bool) map[string]any {
			skills := map[string]any{}
			for _, sk := range lpSkills(wd, snapshot.Chat) {
				skills[sk.ID] = qhMetrics(wd, sk.ID, from, current)
			}
			return map[string]any{"skillsMetrics": skills, "metricsTotals": qhMetrics(wd, "", from, current)}
		}
		out = block(wd.Now.Add(-time.Duration(tf)*time.Minute), true)
		if r.URL.Query().Get("skillIds") == "" {
			delete(out, "skillsMetrics")
		}
		if iv > 0 {
			var ivs []map[string]any
			// Newest first, as in the engagement-activity examples.
			for end := wd.Now; end.After(wd.Now.Add(-time.Duration(tf) * time.Minute)); end = end.Add(-time.Duration(iv) * time.Minute) {
				b := block(end.Add(-time.Duration(iv)*time.Minute), false)
				if end.Equal(wd.Now) {
					ivs = append(ivs, map[string]any{"timestamp": end.UnixMilli(), "metricsData": b})
				} else {
					// Some documented intervals carry no metricsData wrapper.
					b["timestamp"] = end.UnixMilli()
					ivs = append(ivs, b)
				}
			}
			out["metricsByIntervals"] = ivs
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPQueueState(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query().Get("v")
	if v != "1" && v != "2" {
		writeLP400(w, "v must be 1 or 2")
		return
	}
	out := map[string]any{}
	s.View(func(wd *simulator.World) {
		skills := map[string]any{}
		totalN, totalSlots, totalMax := 0, 0, int64(-1)
		for _, sk := range lpSkills(wd, snapshot.Chat) {
			n, longest := waitingLongest(wd, sk.ID, snapshot.Chat)
			slots := freeSlots(wd, sk.ID)
			m := map[string]any{"currentQueueSize": n, "currentAvailableSlots": slots}
			if v == "2" {
				ms := int64(-1)
				if n > 0 {
					ms = longest.Milliseconds()
				}
				m["currentMaxWaitTimeInQueue"] = ms
				totalMax = max(totalMax, ms)
			}
			skills[sk.ID] = m
			totalN += n
			totalSlots += slots
		}
		totals := map[string]any{"currentQueueSize": totalN, "currentAvailableSlots": totalSlots}
		if v == "2" {
			totals["currentMaxWaitTimeInQueue"] = totalMax
		}
		out["skills"], out["totals"] = skills, totals
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPEngActivity(w http.ResponseWriter, r *http.Request) {
	tf, _, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	out := map[string]any{}
	s.View(func(wd *simulator.World) {
		st := windowStats(wd, "", snapshot.Chat, wd.Now.Add(-time.Duration(tf)*time.Minute))
		metric := func(n int) map[string]any {
			return map[string]any{"totalInteractiveChats": n, "totalNonInteractiveChats": 0,
				"totalHandlingTime": 0, "nonInteractiveTotalHandlingTime": 0, "connectedEngagements": n}
		}
		per := map[string]any{}
		for id, n := range st.closedBy {
			per[id] = metric(n)
		}
		out["metricsTotals"] = metric(st.closed)
		if r.URL.Query().Get("agentIds") != "" {
			out["agentsMetrics"] = map[string]any{"metricsPerAgent": per, "metricsTotals": metric(st.closed)}
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

func (s *server) handleLPSLA(w http.ResponseWriter, r *http.Request) {
	tf, _, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	bounds := []int{0}
	hist := r.URL.Query().Get("histogram")
	if hist == "" {
		hist = "0,15,30,45,60,90,120"
	}
	for f := range strings.SplitSeq(hist, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || n%5 != 0 {
			writeLP400(w, "histogram bounds must be multiples of 5")
			return
		}
		if n > 0 {
			bounds = append(bounds, n)
		}
	}
	sort.Ints(bounds)
	skillIDs := r.URL.Query().Get("skillIds")
	counts := make([]int, len(bounds))
	total := 0
	s.View(func(wd *simulator.World) {
		for _, sk := range lpSkills(wd, snapshot.Chat) {
			if skillIDs != "" && skillIDs != "all" && !containsID(skillIDs, sk.ID) {
				continue
			}
			for _, wait := range windowStats(wd, sk.ID, snapshot.Chat, wd.Now.Add(-time.Duration(tf)*time.Minute)).waits {
				i := sort.SearchInts(bounds, int(wait/time.Second)+1) - 1
				counts[i]++
				total++
			}
		}
	})
	out := map[string]any{}
	acc := 0.0
	for i, b := range bounds {
		frac := 0.0
		if total > 0 {
			frac = float64(counts[i]) / float64(total)
		}
		acc += frac
		out[strconv.Itoa(b)] = map[string]any{"accumulated": math.Round(acc*1e4) / 1e4, "percentageFromTotal": math.Round(frac*1e4) / 1e4, "chats": counts[i]}
	}
	simulator.WriteJSON(w, http.StatusOK, map[string]any{"slaDataRange": out})
}

func containsID(list, id string) bool {
	for f := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(f) == id {
			return true
		}
	}
	return false
}
