package views

import (
	"math"
	"net/url"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// queueFigures is the full set of queue figures, used by the summary tile.
func queueFigures(q snapshot.Queue, t Thresholds) []templates.Figure {
	return []templates.Figure{
		{Label: "Waiting", Value: fmtCount(q.Waiting), Level: higherWorse(q.Waiting, int64(t.WaitingWarn), int64(t.WaitingCrit)), Note: "now"},
		{Label: "Longest wait", Value: fmtDur(q.LongestWait), Level: higherWorse(q.LongestWait, t.LongestWaitWarn, t.LongestWaitCrit), Note: "now"},
		{Label: "Avg wait", Value: fmtDur(q.AvgWait30m), Level: higherWorse(q.AvgWait30m, t.AvgWaitWarn, t.AvgWaitCrit), Note: "30 min"},
		{Label: "Avg wait", Value: fmtDur(q.AvgWait60m), Level: higherWorse(q.AvgWait60m, t.AvgWaitWarn, t.AvgWaitCrit), Note: "60 min"},
		{Label: "Abandoned", Value: fmtCount(q.Abandoned30m), Note: "30 min"},
		{Label: "Abandon rate", Value: fmtPct(q.AbandonRate), Level: higherWorse(q.AbandonRate, t.AbandonRateWarn, t.AbandonRateCrit)},
		{Label: "Service level", Value: fmtPct(q.ServiceLevel), Level: lowerWorse(q.ServiceLevel, t.ServiceLevelWarn, t.ServiceLevelCrit), Note: fmtTarget(q.ServiceLevelTarget)},
	}
}

// queueTile is the health summary over the board's skills (all channels).
func (d *data) queueTile() templates.QueueTileProps {
	p := templates.QueueTileProps{
		TileMeta: templates.TileMeta{ID: idQueue, TestID: "queue"},
		Title:    "Queue",
	}
	if d.skill != nil {
		p.Title = d.skill.Name
	}
	if d.snap == nil {
		p.Empty = waitingText
		return p
	}
	var qs []snapshot.Queue
	var srcs []string
	for _, sk := range d.skills {
		qs = append(qs, sk.Queues...)
		srcs = append(srcs, sk.Source)
	}
	p.TileMeta = d.meta(idQueue, "queue", srcs)
	if len(d.skills) == 0 {
		p.Empty = "No skills in view"
		return p
	}
	p.Figures = queueFigures(aggregate(qs, d.t.ServiceLevelTarget), d.t)
	return p
}

// skillTile is one skill: per channel when it serves more than one.
func (d *data) skillTile(sk snapshot.Skill) templates.SkillTileProps {
	id := SkillTileID(sk.Key)
	p := templates.SkillTileProps{
		TileMeta: d.meta(id, "skill", []string{sk.Source}),
		Name:     sk.Name,
		Source:   sk.Source,
		Agents: templates.AgentCounts{
			Available: sk.Agents.Available, Busy: sk.Agents.Busy,
			Away: sk.Agents.Away, BackSoon: sk.Agents.BackSoon,
		},
	}
	if d.v.Audience == Manager && d.skill == nil {
		p.Href = "?skill=" + url.QueryEscape(sk.Key)
	}
	qs := sk.Queues
	if len(qs) == 0 {
		qs = []snapshot.Queue{{}} // no figures at all: one channel of "—"
	}
	for _, q := range qs {
		if q.ServiceLevelTarget <= 0 {
			q.ServiceLevelTarget = d.t.ServiceLevelTarget
		}
		c := templates.ChannelFigures{
			Main: templates.Figure{Label: "waiting", Value: fmtCount(q.Waiting), Level: higherWorse(q.Waiting, int64(d.t.WaitingWarn), int64(d.t.WaitingCrit))},
			Figures: []templates.Figure{
				{Label: "Longest", Value: fmtDur(q.LongestWait), Level: higherWorse(q.LongestWait, d.t.LongestWaitWarn, d.t.LongestWaitCrit)},
				{Label: "SL", Value: fmtPct(q.ServiceLevel), Level: lowerWorse(q.ServiceLevel, d.t.ServiceLevelWarn, d.t.ServiceLevelCrit)},
				{Label: "Avg wait", Value: fmtDur(q.AvgWait30m), Level: higherWorse(q.AvgWait30m, d.t.AvgWaitWarn, d.t.AvgWaitCrit)},
				{Label: "Aband.", Value: fmtCount(q.Abandoned30m)},
			},
		}
		if len(qs) > 1 {
			c.Label = channelLabel(q.Channel)
		}
		p.Channels = append(p.Channels, c)
	}
	return p
}

func channelLabel(c snapshot.Channel) string {
	switch c {
	case snapshot.Chat:
		return "Chat"
	case snapshot.Messaging:
		return "Messaging"
	}
	return string(c)
}

// skillsGridClass sizes the wall's grid so n tiles fill the screen without
// scrolling: it picks the column count that wastes the fewest cells while keeping
// tiles near a 1.6:1 landscape shape in a skills area about 2.4 times as wide as
// tall (the wall layout). The manager's grid simply flows.
func skillsGridClass(a Audience, n int) string {
	if a != Wall || n == 0 {
		return "auto"
	}
	best, bestScore := 1, math.Inf(1)
	for cols := 1; cols <= min(n, 12); cols++ {
		rows := (n + cols - 1) / cols
		aspect := 2.4 * float64(rows) / float64(cols)
		score := float64(cols*rows-n)/float64(n) + math.Abs(math.Log(aspect/1.6))
		if score < bestScore {
			best, bestScore = cols, score
		}
	}
	rows := (n + best - 1) / best
	return "cols-" + itoa(best) + " rows-" + itoa(min(rows, 12))
}
