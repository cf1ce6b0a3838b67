package alerts

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Figure is what a rule watches. The values are the YAML spellings.
type Figure string

// Figures a rule can watch.
const (
	Waiting         Figure = "waiting"             // contacts waiting now (count, higher is worse)
	LongestWait     Figure = "longest_wait"        // longest wait now (duration, higher is worse)
	AvgWait         Figure = "avg_wait"            // average wait over 30 minutes (duration, higher is worse)
	ServiceLevel    Figure = "service_level"       // share answered in target (ratio, lower is worse)
	AbandonRate     Figure = "abandon_rate"        // abandoned share (ratio, higher is worse)
	AgentsAvailable Figure = "agents_available"    // agents available for the skill (count, lower is worse)
	AgentStateTime  Figure = "agent_time_in_state" // one agent's time in a state (duration, higher is worse)
	CSAT            Figure = "csat"                // messaging CSAT today (ratio, lower is worse)
	FirstResponse   Figure = "first_response"      // messaging time to first response today (duration, higher is worse)
	ResponseTime    Figure = "response_time"       // messaging agent response time today (duration, higher is worse)
)

// Figures lists every figure in the order the README documents them.
var Figures = []Figure{Waiting, LongestWait, AvgWait, ServiceLevel, AbandonRate, AgentsAvailable, AgentStateTime,
	CSAT, FirstResponse, ResponseTime}

// Label is the figure as a person reads it in a banner ("longest wait").
func (f Figure) Label() string {
	switch f {
	case AgentStateTime:
		return "time in state"
	case AgentsAvailable:
		return "agents available"
	case CSAT:
		return "CSAT"
	}
	return strings.ReplaceAll(string(f), "_", " ")
}

// unit is how a figure's values are written in config and banners.
type unit int

const (
	count unit = iota
	duration
	ratio
)

func (f Figure) unit() unit {
	switch f {
	case LongestWait, AvgWait, AgentStateTime, FirstResponse, ResponseTime:
		return duration
	case ServiceLevel, AbandonRate, CSAT:
		return ratio
	}
	return count
}

// lowerIsWorse reports whether a breach is the figure falling to or below the threshold.
func (f Figure) lowerIsWorse() bool { return f == ServiceLevel || f == AgentsAvailable || f == CSAT }

// Level is how bad a breach is.
type Level string

// Levels, in rising order.
const (
	Warn Level = "warn"
	Crit Level = "crit"
)

// Limits are a figure's warning and critical thresholds in the figure's unit (counts,
// seconds, ratios 0..1). NaN means "not set".
type Limits struct {
	Warn, Crit float64
}

// Unset is Limits with neither threshold set.
func Unset() Limits { return Limits{Warn: math.NaN(), Crit: math.NaN()} }

// or fills what l leaves unset from d.
func (l Limits) or(d Limits) Limits {
	if math.IsNaN(l.Warn) {
		l.Warn = d.Warn
	}
	if math.IsNaN(l.Crit) {
		l.Crit = d.Crit
	}
	return l
}

// Override changes a rule's thresholds (and the service-level target it names) for one
// skill, matched by key or name.
type Override struct {
	Skill  string
	Limits Limits
	// Target is the service-level target the alert names for this skill; zero means
	// the rule's.
	Target time.Duration
}

// Rule is one alert rule of a board.
type Rule struct {
	// ID is unique within the board; it names the rule in alert ids and the log.
	ID     string
	Figure Figure
	// State is the agent state AgentStateTime watches.
	State snapshot.AgentState
	// Skills selects skills by key or name; empty or "all" means every skill of the board.
	Skills []string
	// Level is the lowest level that raises the alert. Empty means warn.
	Level Level
	// Limits are the thresholds; unset ones come from the board's thresholds.
	Limits Limits
	// For is how long a breach must last before the alert is raised. Zero raises on
	// the first breaching snapshot.
	For time.Duration
	// Target is the service-level target the alert names. Zero means none.
	Target    time.Duration
	Overrides []Override
}

// ParseValue reads one threshold of figure f as written in YAML: a count ("5"), a
// duration ("90s", "2m"; a bare number is seconds) or a ratio ("0.8" or "80%").
// The result is in the figure's unit (count, seconds, ratio).
func ParseValue(f Figure, s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty value")
	}
	switch f.unit() {
	case duration:
		if d, err := time.ParseDuration(s); err == nil {
			if d < 0 {
				return 0, fmt.Errorf("%q: must not be negative", s)
			}
			return d.Seconds(), nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, fmt.Errorf("%q is not a duration (use e.g. 90s or 2m)", s)
		}
		return v, nil
	case ratio:
		pct := strings.HasSuffix(s, "%")
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || math.IsNaN(v) {
			return 0, fmt.Errorf("%q is not a ratio (use e.g. 0.8 or 80%%)", s)
		}
		if pct {
			v /= 100
		}
		if v < 0 || v > 1 {
			return 0, fmt.Errorf("%q: a ratio must be between 0 and 1 (or 0%% and 100%%)", s)
		}
		return v, nil
	}
	v, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return float64(v), nil
}

// FormatValue writes v of figure f as a banner shows it: "3:12", "72%", "5".
func FormatValue(f Figure, v float64) string {
	switch f.unit() {
	case duration:
		d := time.Duration(v * float64(time.Second)).Round(time.Second)
		if d >= time.Hour {
			return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
		}
		return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
	case ratio:
		return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Validate checks the rule once the board's thresholds are filled in (see Board.rule):
// errors name the YAML key.
func (r Rule) validate(defaults Limits) error {
	if !knownFigure(r.Figure) {
		return field.Errorf("figure", "unknown figure %q (want one of %s)", r.Figure, FigureList())
	}
	if r.Figure == AgentStateTime {
		if !knownState(r.State) {
			return field.Errorf("state", "%q: want one of available, busy, backsoon, away, offline", r.State)
		}
	} else if r.State != "" {
		return field.Errorf("state", "only for figure %s", AgentStateTime)
	}
	if r.Level != "" && r.Level != Warn && r.Level != Crit {
		return field.Errorf("level", "%q: want warn or crit", r.Level)
	}
	if r.For < 0 {
		return field.Errorf("for", "must not be negative")
	}
	if err := checkLimits(r.Figure, r.level(), r.Limits.or(defaults)); err != nil {
		return err
	}
	for i, o := range r.Overrides {
		if strings.TrimSpace(o.Skill) == "" {
			return field.Errorf(fmt.Sprintf("overrides[%d].skill", i), "missing")
		}
		if err := checkLimits(r.Figure, r.level(), o.Limits.or(r.Limits).or(defaults)); err != nil {
			return field.Within(fmt.Sprintf("overrides[%d]", i), err)
		}
	}
	return nil
}

func (r Rule) level() Level {
	if r.Level == "" {
		return Warn
	}
	return r.Level
}

func checkLimits(f Figure, lvl Level, l Limits) error {
	if math.IsNaN(l.Crit) {
		return field.Errorf("crit", "figure %s has no board threshold: set crit", f)
	}
	if lvl == Warn && math.IsNaN(l.Warn) {
		return field.Errorf("warn", "figure %s has no board threshold: set warn (or level: crit)", f)
	}
	if lvl == Warn && (f.lowerIsWorse() && l.Warn < l.Crit || !f.lowerIsWorse() && l.Warn > l.Crit) {
		return field.Errorf("warn", "%s is worse than crit %s", FormatValue(f, l.Warn), FormatValue(f, l.Crit))
	}
	return nil
}

func knownFigure(f Figure) bool {
	for _, k := range Figures {
		if k == f {
			return true
		}
	}
	return false
}

// FigureList is every figure's YAML spelling, comma-separated (for error messages).
func FigureList() string {
	s := make([]string, len(Figures))
	for i, f := range Figures {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func knownState(s snapshot.AgentState) bool {
	for _, k := range snapshot.States {
		if k == s && s != snapshot.Unknown {
			return true
		}
	}
	return false
}
