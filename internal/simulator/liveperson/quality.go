package liveperson

import (
	"math"
	"net/http"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Messaging quality: the KMM quality metrics and MsgOps msgcsatdistribution
// (REFERENCE.md §5.5, §4.6), computed from the floor's answered and rated contacts.

// latest is the later of the real and the simulated clock: a request time "in the
// future" is judged against it, so a client on either clock is believed.
func (s *server) latest() time.Time {
	real, sim := s.RealNow(), s.Now()
	if sim.After(real) {
		return sim
	}
	return real
}

// addQuality adds the KMM quality metrics of q to m (milliseconds as doubles, csat as
// a ratio). A metric with no contact behind it is left out, as KMM leaves out what
// it has no value for.
func addQuality(m map[string]any, q simulator.Quality) {
	if q.Answered > 0 {
		resp := float64(q.ResponseSum.Milliseconds()) / float64(q.Answered)
		m["avgTimeToResponse"] = resp
		m["avgTimeToFirstResponseFirstAssignment"] = resp
		m["avgWaitTimeFirstResponse"] = float64(q.FirstResponseSum.Milliseconds()) / float64(q.Answered)
	}
	if n := q.Rated(); n > 0 {
		m["csat"] = float64(q.Positive()) / float64(n)
	}
}

// csatMetrics is one msgcsatdistribution metrics object.
func csatMetrics(q simulator.Quality) map[string]any {
	m := map[string]any{"total_answers": q.Rated(), "positive_answers": q.Positive(), "csat_score": 0.0}
	for i := 1; i <= 5; i++ {
		m["csat_score"+string(rune('0'+i))+"_answers"] = q.Scores[i]
	}
	if n := q.Rated(); n > 0 {
		m["csat_score"] = math.Round(float64(q.Positive())/float64(n)*1e4) / 1e4
	}
	return m
}

// handleLPCSATDistribution is GET .../msgcsatdistribution: CSAT answers by score per
// messaging skill over the timeframe (v and timeframe required, ≤ 1440; the method
// has no interval, so one is a 400). The docs give no example and disagree on the
// key names; this serves the elements table's skillsMetrics with per-skill
// metricsTotals and the parameter text's top-level metricsTotal.
func (s *server) handleLPCSATDistribution(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("interval") != "" {
		writeLP400(w, "interval is not a parameter of msgcsatdistribution")
		return
	}
	tf, _, msg := lpWindow(r, true)
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	ids := r.URL.Query().Get("skillIds")
	out := map[string]any{}
	s.View(func(wd *simulator.World) {
		from := wd.Now.Add(-time.Duration(tf) * time.Minute)
		if ids != "" {
			per := map[string]any{}
			for _, sk := range lpSkills(wd, snapshot.Messaging) {
				if ids != "all" && !containsID(ids, sk.ID) {
					continue
				}
				q := wd.QualitySince(simulator.VendorLivePerson, sk.ID, snapshot.Messaging, from)
				per[sk.ID] = map[string]any{"metricsPerAgent": map[string]any{}, "metricsTotals": csatMetrics(q)}
			}
			out["skillsMetrics"] = map[string]any{"metricsPerSkill": per}
		}
		out["metricsTotal"] = csatMetrics(wd.QualitySince(simulator.VendorLivePerson, "", snapshot.Messaging, from))
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}
