package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/views"
)

// BoardConfig is one dashboard.
type BoardConfig struct {
	// ID is the board's URL name (/wall/<id>).
	ID string `yaml:"id"`
	// Title is shown on the board. Empty means the id.
	Title string `yaml:"title"`
	// Tiles lists the tiles in order: queue, skills, agents, today, freshness. Empty means all.
	Tiles []string `yaml:"tiles"`
	// Skills limits the board to these skills, by key ("comm100:<id>") or name. Empty means all.
	Skills []string `yaml:"skills"`
	// Thresholds colour the figures. Zero values mean the defaults in the README.
	Thresholds ThresholdsConfig `yaml:"thresholds"`
	// SkillThresholds override thresholds per skill (key or name), like an alert
	// rule's overrides: a key left out takes the board's value. Empty means none.
	SkillThresholds map[string]ThresholdsConfig `yaml:"skill_thresholds"`
	// Public boards are visible without logging in. Default false.
	Public bool `yaml:"public"`
	// ShowTranscripts lets a drill-down's conversations list show the latest customer
	// message. Default false: no conversation text is fetched or shown.
	ShowTranscripts bool `yaml:"show_transcripts"`
	// Alerts are the board's alert rules (config_alerts.go). Empty means none.
	Alerts *AlertsConfig `yaml:"alerts"`
	// Look holds the board's order, agent thresholds, theme and branding.
	Look BoardLook `yaml:",inline"`
}

// ThresholdsConfig sets warning and critical levels.
type ThresholdsConfig struct {
	WaitingWarn      int      `yaml:"waiting_warn"`
	WaitingCrit      int      `yaml:"waiting_crit"`
	LongestWaitWarn  Duration `yaml:"longest_wait_warn"`
	LongestWaitCrit  Duration `yaml:"longest_wait_crit"`
	AvgWaitWarn      Duration `yaml:"avg_wait_warn"`
	AvgWaitCrit      Duration `yaml:"avg_wait_crit"`
	ServiceLevelWarn float64  `yaml:"service_level_warn"`
	ServiceLevelCrit float64  `yaml:"service_level_crit"`
	AbandonRateWarn  float64  `yaml:"abandon_rate_warn"`
	AbandonRateCrit  float64  `yaml:"abandon_rate_crit"`
	// Messaging quality (today since the source's reset): CSAT below, times at or above.
	CSATWarn           float64  `yaml:"csat_warn"`
	CSATCrit           float64  `yaml:"csat_crit"`
	FirstResponseWarn  Duration `yaml:"first_response_warn"`
	FirstResponseCrit  Duration `yaml:"first_response_crit"`
	ResponseTimeWarn   Duration `yaml:"response_time_warn"`
	ResponseTimeCrit   Duration `yaml:"response_time_crit"`
	ServiceLevelTarget Duration `yaml:"service_level_target"`
	StaleAfter         Duration `yaml:"stale_after"`
}

// views is tc as views thresholds (zero fields: the default, or the board's).
func (tc ThresholdsConfig) views() views.Thresholds {
	return views.Thresholds{
		WaitingWarn: tc.WaitingWarn, WaitingCrit: tc.WaitingCrit,
		LongestWaitWarn: tc.LongestWaitWarn.D(), LongestWaitCrit: tc.LongestWaitCrit.D(),
		AvgWaitWarn: tc.AvgWaitWarn.D(), AvgWaitCrit: tc.AvgWaitCrit.D(),
		ServiceLevelWarn: tc.ServiceLevelWarn, ServiceLevelCrit: tc.ServiceLevelCrit,
		AbandonRateWarn: tc.AbandonRateWarn, AbandonRateCrit: tc.AbandonRateCrit,
		CSATWarn: tc.CSATWarn, CSATCrit: tc.CSATCrit,
		FirstResponseWarn: tc.FirstResponseWarn.D(), FirstResponseCrit: tc.FirstResponseCrit.D(),
		ResponseTimeWarn: tc.ResponseTimeWarn.D(), ResponseTimeCrit: tc.ResponseTimeCrit.D(),
		ServiceLevelTarget: tc.ServiceLevelTarget.D(), StaleAfter: tc.StaleAfter.D(),
	}
}

// validateBoards places each board's own rules (views.Board.Validate, which owns
// them) at boards[i]; only what spans boards, unique ids, is checked here.
func (c *Config) validateBoards() error {
	var errs []error
	seen := map[string]bool{}
	for i, bc := range c.Boards {
		key := fmt.Sprintf("boards[%d]", i)
		if bc.ID == "" {
			errs = append(errs, field.Errorf(key+".id", "missing"))
			continue
		}
		if seen[bc.ID] {
			errs = append(errs, field.Errorf(key+".id", "duplicate board id %q", bc.ID))
		}
		seen[bc.ID] = true
		if err := c.Boards[i].Look.resolveLogo(c.PublicURL); err != nil {
			errs = append(errs, field.Within(key, err))
			continue
		}
		errs = append(errs, field.Within(key, c.Boards[i].board(0).Validate()))
	}
	return errors.Join(errs...)
}

// board is the views board the config describes; staleAfter is the server's stale
// threshold, used where the board sets none.
func (bc BoardConfig) board(staleAfter time.Duration) views.Board {
	b := views.Board{ID: bc.ID, Title: bc.Title, Skills: bc.Skills, Public: bc.Public, ShowTranscripts: bc.ShowTranscripts}
	if b.Title == "" {
		b.Title = bc.ID
	}
	for _, t := range bc.Tiles {
		b.Tiles = append(b.Tiles, views.TileKind(t))
	}
	b.Thresholds = bc.Thresholds.views()
	for _, sk := range slices.Sorted(maps.Keys(bc.SkillThresholds)) {
		b.SkillThresholds = append(b.SkillThresholds, views.SkillThresholds{Skill: sk, Thresholds: bc.SkillThresholds[sk].views()})
	}
	if b.Thresholds.StaleAfter == 0 {
		b.Thresholds.StaleAfter = staleAfter
	}
	bc.Look.apply(&b)
	return b
}

// buildBoards maps the config's boards to views boards; no boards means the default.
func buildBoards(cfgs []BoardConfig, staleAfter time.Duration) ([]views.Board, error) {
	if len(cfgs) == 0 {
		// The default board is private like every board not marked public: the demo
		// opens it with a device link.
		b := views.DefaultBoard()
		b.Public = false
		b.Thresholds.StaleAfter = staleAfter
		return []views.Board{b}, nil
	}
	out := make([]views.Board, 0, len(cfgs))
	for i, bc := range cfgs {
		b := bc.board(staleAfter)
		if err := b.Validate(); err != nil {
			return nil, configError(field.Within(fmt.Sprintf("boards[%d]", i), err), nil)
		}
		out = append(out, b)
	}
	return out, nil
}
