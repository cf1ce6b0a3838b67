package views

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

// Themes a board accepts (theme: in the config).
var Themes = []string{"dark", "light"}

var accentRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// validateLook checks the board's order, agent thresholds and branding, each error
// under its YAML key.
func (b Board) validateLook() []error {
	var errs []error
	bad := func(key, format string, a ...any) { errs = append(errs, field.Errorf(key, format, a...)) }
	if b.Order != "" && !slices.Contains(Orders, b.Order) {
		bad("order", "%q: want one of %s", b.Order, strings.Join(Orders, ", "))
	}
	if b.Theme != "" && !slices.Contains(Themes, b.Theme) {
		bad("theme", "%q: want dark or light", b.Theme)
	}
	if b.Accent != "" && !accentRE.MatchString(b.Accent) {
		bad("accent", "%q: want a colour as #rrggbb", b.Accent)
	}
	if b.LogoURL != "" && (!strings.HasPrefix(b.LogoURL, "/") || strings.HasPrefix(b.LogoURL, "//") || strings.ContainsAny(b.LogoURL, "\\\"'<> ")) {
		bad("logo", "%q: want a path on this server", b.LogoURL)
	}
	return append(errs, field.Within("agent_thresholds", b.AgentThresholds.Validate()))
}

// AgentThresholds is how long an agent may stay in a state before the wall lists
// them first, flagged ▲ WARN (past the threshold) or ◆ CRIT (past twice it). A zero
// field takes its default; a negative one switches that state's check off.
type AgentThresholds struct {
	// Away defaults to 10 min and BackSoon to 5 min. Busy has no default: vendors
	// report when an agent came online, not when their last slot filled, so "busy
	// for an hour" mostly means "online for an hour"; set it where that is wanted.
	Away, BackSoon, Busy time.Duration
}

// DefaultAgentThresholds are the thresholds of a board that sets none.
var DefaultAgentThresholds = AgentThresholds{Away: 10 * time.Minute, BackSoon: 5 * time.Minute}

func (a AgentThresholds) withDefaults() AgentThresholds {
	orDefault(&a.Away, DefaultAgentThresholds.Away)
	orDefault(&a.BackSoon, DefaultAgentThresholds.BackSoon)
	orDefault(&a.Busy, DefaultAgentThresholds.Busy)
	return a
}

// Validate reports a threshold under a second (a typo for minutes, most likely),
// under its YAML key.
func (a AgentThresholds) Validate() error {
	var errs []error
	for key, d := range map[string]time.Duration{"away": a.Away, "back_soon": a.BackSoon, "busy": a.Busy} {
		if d > 0 && d < time.Second {
			errs = append(errs, field.Errorf(key, "%v is under a second (write minutes as 10m; negative switches it off)", d))
		}
	}
	return errors.Join(errs...)
}
