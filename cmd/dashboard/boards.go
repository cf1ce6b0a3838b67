package main

import (
	"fmt"
	"time"

	"github.com/ccdash/ccdash/internal/views"
)

// buildBoards maps the config's boards to views boards; no boards means the default.
// staleAfter is the server's stale threshold, used where a board sets none.
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
		b := views.Board{ID: bc.ID, Title: bc.Title, Skills: bc.Skills, Public: bc.Public}
		if b.Title == "" {
			b.Title = bc.ID
		}
		for _, t := range bc.Tiles {
			b.Tiles = append(b.Tiles, views.TileKind(t))
		}
		th := bc.Thresholds
		b.Thresholds = views.Thresholds{
			WaitingWarn: th.WaitingWarn, WaitingCrit: th.WaitingCrit,
			LongestWaitWarn: th.LongestWaitWarn.D(), LongestWaitCrit: th.LongestWaitCrit.D(),
			AvgWaitWarn: th.AvgWaitWarn.D(), AvgWaitCrit: th.AvgWaitCrit.D(),
			ServiceLevelWarn: th.ServiceLevelWarn, ServiceLevelCrit: th.ServiceLevelCrit,
			AbandonRateWarn: th.AbandonRateWarn, AbandonRateCrit: th.AbandonRateCrit,
			ServiceLevelTarget: th.ServiceLevelTarget.D(), StaleAfter: th.StaleAfter.D(),
		}
		if b.Thresholds.StaleAfter == 0 {
			b.Thresholds.StaleAfter = staleAfter
		}
		if err := b.Validate(); err != nil {
			return nil, fmt.Errorf("config: boards[%d]: %w", i, err)
		}
		out = append(out, b)
	}
	return out, nil
}
