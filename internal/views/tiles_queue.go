package views

import (
	"net/url"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// queueFigures is the full set of queue figures, used by the summary tile whose
// id is id; each figure is a swap target of its own.
func queueFigures(id string, q snapshot.Queue, t Thresholds) []templates.Figure {
	return []templates.Figure{
		{ID: figID(id, "waiting"), Label: "Waiting", Value: fmtCount(q.Waiting), Level: higherWorse(q.Waiting, int64(t.WaitingWarn), int64(t.WaitingCrit)), Note: "now"},
		{ID: figID(id, "longest"), Label: "Longest wait", Value: fmtDur(q.LongestWait), Level: higherWorse(q.LongestWait, t.LongestWaitWarn, t.LongestWaitCrit), Note: "now"},
		{ID: figID(id, "avg30"), Label: "Avg wait", Value: fmtDur(q.AvgWait30m), Level: higherWorse(q.AvgWait30m, t.AvgWaitWarn, t.AvgWaitCrit), Note: "30 min"},
		{ID: figID(id, "avg60"), Label: "Avg wait", Value: fmtDur(q.AvgWait60m), Level: higherWorse(q.AvgWait60m, t.AvgWaitWarn, t.AvgWaitCrit), Note: "60 min"},
		{ID: figID(id, "aband"), Label: "Abandoned", Value: fmtCount(q.Abandoned30m), Note: "30 min"},
		{ID: figID(id, "abandrate"), Label: "Abandon rate", Value: fmtPct(q.AbandonRate), Level: higherWorse(q.AbandonRate, t.AbandonRateWarn, t.AbandonRateCrit)},
		{ID: figID(id, "sl"), Label: "Service level", Value: fmtPct(q.ServiceLevel), Level: lowerWorse(q.ServiceLevel, t.ServiceLevelWarn, t.ServiceLevelCrit), Note: fmtTarget(q.ServiceLevelTarget.Or(0))},
	}
}

// queueTile is the health summary over the board's skills (all channels).
func (d *data) queueTile() templates.QueueTileProps {
	p := templates.QueueTileProps{
		TileMeta: templates.TileMeta{ID: idQueue, TestID: "queue"},
		Title:    "Queue",
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
	p.Figures = queueFigures(idQueue, aggregate(qs, d.t.ServiceLevelTarget), d.t)
	return p
}

// skillTile is one skill: per channel when it serves more than one.
func (d *data) skillTile(sk snapshot.Skill) templates.SkillTileProps {
	id := SkillTileID(sk.Key)
	p := templates.SkillTileProps{
		TileMeta: d.meta(id, "skill", []string{sk.Source}),
		Name:     sk.Name,
		Source:   d.sourceLabel(sk.Source),
		Agents: []templates.StateCount{
			{ID: figID(id, "avail"), State: "available", Label: "avail", N: sk.Agents.Available},
			{ID: figID(id, "busy"), State: "busy", Label: "busy", N: sk.Agents.Busy},
			{ID: figID(id, "away"), State: "away", Label: "away", N: sk.Agents.Away + sk.Agents.BackSoon},
		},
	}
	if d.v.Audience == Manager && d.skill == nil {
		p.Href = "?skill=" + url.QueryEscape(sk.Key)
	}
	qs := sk.Queues
	if len(qs) == 0 {
		qs = []snapshot.Queue{{}} // no figures at all: one channel of "—"
	}
	t := d.thresholdsFor(sk)
	used := map[string]bool{}
	for i, q := range qs {
		if !q.ServiceLevelTarget.Known() {
			q.ServiceLevelTarget = snapshot.Some(t.ServiceLevelTarget)
		}
		ch := channelToken(q.Channel, i, used)
		c := templates.ChannelFigures{
			Main: templates.Figure{ID: figID(id, ch, "waiting"), Label: "Waiting", Value: fmtCount(q.Waiting), Level: higherWorse(q.Waiting, int64(t.WaitingWarn), int64(t.WaitingCrit))},
			Figures: []templates.Figure{
				{ID: figID(id, ch, "longest"), Label: "Longest", Value: fmtDur(q.LongestWait), Level: higherWorse(q.LongestWait, t.LongestWaitWarn, t.LongestWaitCrit)},
				{ID: figID(id, ch, "sl"), Label: "SL", Value: fmtPct(q.ServiceLevel), Level: lowerWorse(q.ServiceLevel, t.ServiceLevelWarn, t.ServiceLevelCrit)},
				{ID: figID(id, ch, "avg"), Label: "Avg wait", Value: fmtDur(q.AvgWait30m), Level: higherWorse(q.AvgWait30m, t.AvgWaitWarn, t.AvgWaitCrit)},
				{ID: figID(id, ch, "aband"), Label: "Aband.", Value: fmtCount(q.Abandoned30m)},
			},
		}
		c.Figures = append(c.Figures, d.qualityFigures(id, ch, q, t)...)
		if len(qs) > 1 {
			c.Label = channelLabel(q.Channel)
		}
		p.Channels = append(p.Channels, c)
	}
	return p
}

// channelToken names a channel inside figure ids: "chat" or "messaging", or "c<i>"
// (its position) for any other value or a repeated channel, so the token is a
// plain word and unique within the skill.
func channelToken(c snapshot.Channel, i int, used map[string]bool) string {
	tok := string(c)
	if (c != snapshot.Chat && c != snapshot.Messaging) || used[tok] {
		tok = "c" + itoa(i)
	}
	used[tok] = true
	return tok
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

// gridClass is the skills grid's classes: on the wall its columns and rows (the
// size class's grid, with fewer rows when the board's skills need fewer, so they
// fill the screen), elsewhere a flowing grid; "by-severity" lets CSS put the worst
// tiles first. The rows depend on the set of tiles, not on their levels, so a
// figure changing level never re-sends the grid.
func (d *data) gridClass(shown []skillEntry, more *templates.SkillsMoreProps) string {
	c := "auto"
	if d.v.Audience == Wall {
		lay := d.v.layout()
		rows := lay.rows
		if more == nil || more.Text == "" {
			rows = rowsNeeded(shown, lay)
		}
		c = "cols-" + itoa(lay.cols) + " rows-" + itoa(rows)
	}
	if d.v.Board.order() == OrderSeverity {
		c += " by-severity"
	}
	return c
}

// rowsNeeded is the fewest rows (up to the layout's) that hold every tile in both
// extreme orders, two-channel tiles first and last, so any order of levels fits.
func rowsNeeded(shown []skillEntry, lay wallLayout) int {
	var first, last []bool
	for _, e := range shown {
		if len(e.props.Channels) > 1 {
			first = append([]bool{true}, first...)
			last = append(last, true)
		} else {
			first = append(first, false)
			last = append([]bool{false}, last...)
		}
	}
	for r := 1; r < lay.rows; r++ {
		if len(place(first, lay.cols, r, false)) == len(shown) && len(place(last, lay.cols, r, false)) == len(shown) {
			return r
		}
	}
	return lay.rows
}

// sourceLabel names a skill's source on its tile when the snapshot has several
// sources: two vendors can both have a "Sales" skill.
func (d *data) sourceLabel(source string) string {
	if d.snap == nil || len(d.snap.Sources) < 2 {
		return ""
	}
	return source
}
