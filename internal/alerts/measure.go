package alerts

import (
	"math"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// reading is one figure of one subject (a skill, or an agent) in one snapshot.
type reading struct {
	subject string   // skill or agent key
	name    string   // what the banner calls it
	skills  []string // skill keys it concerns (scopes decide visibility with them)
	value   float64
	known   bool
	limits  Limits
	target  time.Duration
}

// read measures rule r of board b on snap: one reading per selected skill, or per
// agent of the selected skills for AgentStateTime.
func (b Board) read(r Rule, snap *snapshot.Snapshot, now time.Time) []reading {
	base := r.Limits.or(b.defaultsFor(r.Figure))
	var out []reading
	selected := map[string]snapshot.Skill{}
	for _, sk := range snap.Skills {
		if !b.wants(sk) || len(r.Skills) > 0 && !matches(r.Skills, sk) {
			continue
		}
		selected[sk.Key] = sk
		if r.Figure == AgentStateTime {
			continue
		}
		lim, target := base, r.Target
		for _, o := range r.Overrides {
			if matches([]string{o.Skill}, sk) {
				lim = o.Limits.or(base)
				if o.Target > 0 {
					target = o.Target
				}
			}
		}
		v, ok := skillValue(r.Figure, sk)
		out = append(out, reading{subject: sk.Key, name: sk.Name, skills: []string{sk.Key}, value: v, known: ok, limits: lim, target: target})
	}
	if r.Figure != AgentStateTime {
		return out
	}
	for _, a := range snap.Agents {
		var keys []string
		lim := base
		for _, k := range a.Skills {
			if sk, ok := selected[k]; ok {
				keys = append(keys, k)
				for _, o := range r.Overrides {
					if matches([]string{o.Skill}, sk) {
						lim = o.Limits.or(base)
					}
				}
			}
		}
		if len(keys) == 0 {
			continue
		}
		rd := reading{subject: a.Key, name: a.Name, skills: keys, limits: lim}
		if a.State == r.State && !a.Since.IsZero() {
			rd.value, rd.known = math.Max(0, now.Sub(a.Since).Seconds()), true
		} else if a.State != r.State {
			rd.value, rd.known = 0, true // not in the state: back to normal
		}
		out = append(out, rd)
	}
	return out
}

// skillValue is the skill's figure, the worst over its channels.
func skillValue(f Figure, sk snapshot.Skill) (float64, bool) {
	if f == AgentsAvailable {
		return float64(sk.Agents.Available), true
	}
	var (
		worst float64
		known bool
	)
	for _, q := range sk.Queues {
		v, ok := queueValue(f, q)
		if !ok {
			continue
		}
		if !known || f.lowerIsWorse() && v < worst || !f.lowerIsWorse() && v > worst {
			worst = v
		}
		known = true
	}
	return worst, known
}

func queueValue(f Figure, q snapshot.Queue) (float64, bool) {
	secs := func(o snapshot.Opt[time.Duration]) (float64, bool) {
		d, ok := o.Get()
		return d.Seconds(), ok
	}
	switch f {
	case Waiting:
		n, ok := q.Waiting.Get()
		return float64(n), ok
	case LongestWait:
		return secs(q.LongestWait)
	case AvgWait:
		if v, ok := secs(q.AvgWait30m); ok {
			return v, ok
		}
		return secs(q.AvgWait60m)
	case ServiceLevel:
		return q.ServiceLevel.Get()
	case AbandonRate:
		return q.AbandonRate.Get()
	case CSAT:
		return q.CSAT.Get()
	case FirstResponse:
		return secs(q.FirstResponse)
	case ResponseTime:
		return secs(q.ResponseTime)
	}
	return 0, false
}

// level is the worst level v reaches under l, or "" when it is within both.
func level(f Figure, v float64, l Limits) Level {
	breach := func(t float64) bool {
		if math.IsNaN(t) {
			return false
		}
		if f.lowerIsWorse() {
			return v < t || f == AgentsAvailable && v == t
		}
		return v >= t
	}
	switch {
	case breach(l.Crit):
		return Crit
	case breach(l.Warn):
		return Warn
	}
	return ""
}
