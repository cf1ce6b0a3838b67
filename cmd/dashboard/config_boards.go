package main

import (
	"fmt"
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
	// Public boards are visible without logging in. Default false.
	Public bool `yaml:"public"`
}

// ThresholdsConfig sets warning and critical levels.
type ThresholdsConfig struct {
	WaitingWarn        int      `yaml:"waiting_warn"`
	WaitingCrit        int      `yaml:"waiting_crit"`
	LongestWaitWarn    Duration `yaml:"longest_wait_warn"`
	LongestWaitCrit    Duration `yaml:"longest_wait_crit"`
	AvgWaitWarn        Duration `yaml:"avg_wait_warn"`
	AvgWaitCrit        Duration `yaml:"avg_wait_crit"`
	ServiceLevelWarn   float64  `yaml:"service_level_warn"`
	ServiceLevelCrit   float64  `yaml:"service_level_crit"`
	AbandonRateWarn    float64  `yaml:"abandon_rate_warn"`
	AbandonRateCrit    float64  `yaml:"abandon_rate_crit"`
	ServiceLevelTarget Duration `yaml:"service_level_target"`
	StaleAfter         Duration `yaml:"stale_after"`
}

var tileKinds = map[string]bool{"queue": true, "skills": true, "agents": true, "today": true, "freshness": true}

func (c *Config) validateBoards() error {
	seen := map[string]bool{}
	for i := range c.Boards {
		b := &c.Boards[i]
		key := fmt.Sprintf("boards[%d]", i)
		if b.ID == "" {
			return bad(key+".id", "missing")
		}
		if !validID(b.ID) {
			return bad(key+".id", "%q: use letters, digits, '-' and '_'", b.ID)
		}
		if seen[b.ID] {
			return bad(key+".id", "duplicate board id %q", b.ID)
		}
		seen[b.ID] = true
		for j, t := range b.Tiles {
			if !tileKinds[t] {
				return bad(fmt.Sprintf("%s.tiles[%d]", key, j), "unknown tile %q (queue, skills, agents, today, freshness)", t)
			}
		}
		th := b.Thresholds
		for name, v := range map[string]float64{
			"service_level_warn": th.ServiceLevelWarn, "service_level_crit": th.ServiceLevelCrit,
			"abandon_rate_warn": th.AbandonRateWarn, "abandon_rate_crit": th.AbandonRateCrit,
		} {
			if v < 0 || v > 1 {
				return bad(key+".thresholds."+name, "must be a ratio between 0 and 1 (got %v)", v)
			}
		}
		if th.WaitingWarn < 0 || th.WaitingCrit < 0 {
			return bad(key+".thresholds", "waiting thresholds must not be negative")
		}
	}
	return nil
}
