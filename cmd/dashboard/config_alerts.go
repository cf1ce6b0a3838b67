package main

import (
	"fmt"
	"slices"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// AlertsConfig is boards[].alerts: the board's alert rules and how its alerts live.
type AlertsConfig struct {
	// Rules raise alerts; see the README's "Alerts" section. Empty means none.
	Rules []AlertRuleConfig `yaml:"rules"`
	// EscalateAfter escalates an unacknowledged alert. Zero means never.
	EscalateAfter Duration `yaml:"escalate_after"`
	// ClearAfter is how long a figure must be back before its alert clears. Zero means
	// at the first snapshot that is back.
	ClearAfter Duration `yaml:"clear_after"`
	// Sound is off, crit or all: which alerts make the wall play a tone. Empty means crit.
	Sound string `yaml:"sound"`
	// SoundEvery repeats the tone until the alert is acknowledged or cleared. Zero means 60s.
	SoundEvery Duration `yaml:"sound_every"`
	// Webhooks receive the board's alert events. Empty means none.
	Webhooks []WebhookConfig `yaml:"webhooks"`
}

// WebhookConfig is boards[].alerts.webhooks[].
type WebhookConfig struct {
	// URL is called with POST, and only it (redirects are not followed).
	URL string `yaml:"url"`
	// Format is json (signed ccdash JSON), slack or teams. Empty means json.
	Format string `yaml:"format"`
	// Secret keys the X-Ccdash-Signature HMAC. Empty means unsigned. Use ${ENV}.
	Secret string `yaml:"secret"`
	// Events it receives: raise, escalate, clear, ack. Empty means all.
	Events []string `yaml:"events"`
}

// AlertRuleConfig is boards[].alerts.rules[].
type AlertRuleConfig struct {
	// ID keeps an alert's state across restarts and config edits. Empty means the
	// figure (with -2, -3… when a board has several rules of one figure).
	ID string `yaml:"id"`
	// Figure is waiting, longest_wait, avg_wait, service_level, abandon_rate,
	// agents_available or agent_time_in_state.
	Figure string `yaml:"figure"`
	// State is the agent state agent_time_in_state watches (away, busy, backsoon, …).
	State string `yaml:"state"`
	// Skills selects skills by key or name, or "all". Empty means all of the board's.
	Skills []string `yaml:"skills"`
	// Level is warn or crit: the lowest level that raises the alert. Empty means warn.
	Level string `yaml:"level"`
	// Warn and Crit are the thresholds (a count, a duration like 90s, a ratio like 0.8
	// or 80%). Empty means the board's thresholds.
	Warn string `yaml:"warn"`
	Crit string `yaml:"crit"`
	// For is how long a breach must last before the alert is raised. Zero means at once.
	For Duration `yaml:"for"`
	// ServiceLevelTarget is the answer-time target the alert names. Zero means none.
	ServiceLevelTarget Duration `yaml:"service_level_target"`
	// Overrides change warn, crit and service_level_target per skill (key or name).
	Overrides map[string]AlertOverrideConfig `yaml:"overrides"`
}

// AlertOverrideConfig is boards[].alerts.rules[].overrides.<skill>.
type AlertOverrideConfig struct {
	Warn               string   `yaml:"warn"`
	Crit               string   `yaml:"crit"`
	ServiceLevelTarget Duration `yaml:"service_level_target"`
}

// validateAlerts checks every board's alerts, naming the YAML key.
func (c *Config) validateAlerts() error {
	if _, err := buildAlertBoards(c.Boards); err != nil {
		return err
	}
	_, err := buildWebhooks(c.Boards)
	return err
}

// buildWebhooks maps boards[].alerts.webhooks to the dispatcher's webhooks by board.
func buildWebhooks(cfgs []BoardConfig) (map[string][]alerts.Webhook, error) {
	out := map[string][]alerts.Webhook{}
	for i, bc := range cfgs {
		if bc.Alerts == nil {
			continue
		}
		for j, wc := range bc.Alerts.Webhooks {
			key := fmt.Sprintf("boards[%d].alerts.webhooks[%d]", i, j)
			w := alerts.Webhook{Name: key, URL: wc.URL, Format: alerts.Format(wc.Format), Secret: wc.Secret}
			for _, e := range wc.Events {
				w.Events = append(w.Events, alerts.EventKind(e))
			}
			if err := w.Validate(); err != nil {
				return nil, field.Within(key, err)
			}
			out[bc.ID] = append(out[bc.ID], w)
		}
	}
	return out, nil
}

// buildAlertBoards maps boards[].alerts to the alert engine's boards. Rules take their
// default thresholds from the board's thresholds (with the README's defaults).
func buildAlertBoards(cfgs []BoardConfig) ([]alerts.Board, error) {
	var out []alerts.Board
	for i, bc := range cfgs {
		if bc.Alerts == nil {
			continue
		}
		b, err := bc.Alerts.board(bc)
		if err != nil {
			return nil, field.Within(fmt.Sprintf("boards[%d].alerts", i), err)
		}
		out = append(out, b)
	}
	return out, nil
}

func (ac *AlertsConfig) board(bc BoardConfig) (alerts.Board, error) {
	b := alerts.Board{ID: bc.ID, Skills: bc.Skills, Defaults: boardLimits(bc.Thresholds),
		EscalateAfter: ac.EscalateAfter.D(), ClearAfter: ac.ClearAfter.D(),
		Sound: alerts.Sound(ac.Sound), SoundEvery: ac.SoundEvery.D()}
	used := map[string]int{}
	for j, rc := range ac.Rules {
		r, err := rc.rule()
		if err != nil {
			return b, field.Within(fmt.Sprintf("rules[%d]", j), err)
		}
		if r.ID == "" {
			used[string(r.Figure)]++
			r.ID = string(r.Figure)
			if n := used[string(r.Figure)]; n > 1 {
				r.ID = fmt.Sprintf("%s-%d", r.Figure, n)
			}
		}
		b.Rules = append(b.Rules, r)
	}
	return b, b.Validate()
}

func (rc AlertRuleConfig) rule() (alerts.Rule, error) {
	f := alerts.Figure(rc.Figure)
	if !slices.Contains(alerts.Figures, f) {
		return alerts.Rule{}, field.Errorf("figure", "%q: want one of %s", rc.Figure, alerts.FigureList())
	}
	r := alerts.Rule{ID: rc.ID, Figure: f, State: snapshot.AgentState(rc.State), Skills: rc.Skills,
		Level: alerts.Level(rc.Level), For: rc.For.D(), Target: rc.ServiceLevelTarget.D()}
	var err error
	if r.Limits, err = limits(f, rc.Warn, rc.Crit); err != nil {
		return r, err
	}
	skills := make([]string, 0, len(rc.Overrides))
	for s := range rc.Overrides {
		skills = append(skills, s)
	}
	slices.Sort(skills)
	for _, s := range skills {
		oc := rc.Overrides[s]
		l, err := limits(f, oc.Warn, oc.Crit)
		if err != nil {
			return r, field.Within("overrides."+s, err)
		}
		r.Overrides = append(r.Overrides, alerts.Override{Skill: s, Limits: l, Target: oc.ServiceLevelTarget.D()})
	}
	return r, nil
}

func limits(f alerts.Figure, warn, crit string) (alerts.Limits, error) {
	l := alerts.Unset()
	var err error
	if warn != "" {
		if l.Warn, err = alerts.ParseValue(f, warn); err != nil {
			return l, field.Errorf("warn", "%v", err)
		}
	}
	if crit != "" {
		if l.Crit, err = alerts.ParseValue(f, crit); err != nil {
			return l, field.Errorf("crit", "%v", err)
		}
	}
	return l, nil
}

// boardLimits gives every figure with a board threshold its limits, in the alert
// engine's units (counts, seconds, ratios).
func boardLimits(tc ThresholdsConfig) map[alerts.Figure]alerts.Limits {
	t := tc.views().WithDefaults()
	return map[alerts.Figure]alerts.Limits{
		alerts.Waiting:       {Warn: float64(t.WaitingWarn), Crit: float64(t.WaitingCrit)},
		alerts.LongestWait:   {Warn: t.LongestWaitWarn.Seconds(), Crit: t.LongestWaitCrit.Seconds()},
		alerts.AvgWait:       {Warn: t.AvgWaitWarn.Seconds(), Crit: t.AvgWaitCrit.Seconds()},
		alerts.ServiceLevel:  {Warn: t.ServiceLevelWarn, Crit: t.ServiceLevelCrit},
		alerts.AbandonRate:   {Warn: t.AbandonRateWarn, Crit: t.AbandonRateCrit},
		alerts.CSAT:          {Warn: t.CSATWarn, Crit: t.CSATCrit},
		alerts.FirstResponse: {Warn: t.FirstResponseWarn.Seconds(), Crit: t.FirstResponseCrit.Seconds()},
		alerts.ResponseTime:  {Warn: t.ResponseTimeWarn.Seconds(), Crit: t.ResponseTimeCrit.Seconds()},
	}
}
