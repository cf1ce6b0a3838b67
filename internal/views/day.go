package views

import (
	"fmt"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// The day so far: the "Today" group of an account, the agents' day columns and the
// messaging quality figures, each naming its window ("since 06:00").

// fmtHours renders a day-long duration as hours and minutes ("3h 05m").
func fmtHours(o snapshot.Opt[time.Duration]) string {
	d, ok := o.Get()
	if !ok {
		return dash
	}
	m := int64(max(d, 0) / time.Minute)
	return fmt.Sprintf("%dh %02dm", m/60, m%60)
}

// kindOf is the vendor kind of source id ("" when unknown).
func (d *data) kindOf(id string) string {
	for _, st := range d.snap.Sources {
		if st.ID == id {
			return st.Kind
		}
	}
	return ""
}

// dayFigures are an account's day figures. Each vendor reports its own set, so the
// group lists those, not the union of both with "—" for what that vendor never gives.
func (d *data) dayFigures(day string, kind string, t snapshot.Today) []templates.Figure {
	if kind == "liveperson" {
		sl := t
		if !sl.ServiceLevelTarget.Known() {
			sl.ServiceLevelTarget = snapshot.Some(d.t.ServiceLevelTarget)
		}
		return []templates.Figure{
			{ID: figID(day, "requests"), Label: "Requests", Value: fmtCount(t.ChatRequests)},
			{ID: figID(day, "chats"), Label: "Handled", Value: fmtCount(t.Chats)},
			{ID: figID(day, "aband"), Label: "Abandoned", Value: fmtCount(t.Abandoned)},
			{ID: figID(day, "avgwait"), Label: "Avg wait", Value: fmtDur(t.AvgWait), Level: higherWorse(t.AvgWait, d.t.AvgWaitWarn, d.t.AvgWaitCrit)},
			{ID: figID(day, "sl"), Label: "SL " + fmtDur(sl.ServiceLevelTarget), Value: fmtPct(t.ServiceLevel), Level: lowerWorse(t.ServiceLevel, d.t.ServiceLevelWarn, d.t.ServiceLevelCrit)},
			{ID: figID(day, "resolved"), Label: "Resolved", Value: fmtCount(t.Resolved)},
			{ID: figID(day, "csat"), Label: "CSAT", Value: fmtPct(t.CSAT), Level: lowerWorse(t.CSAT, d.t.CSATWarn, d.t.CSATCrit)},
		}
	}
	return []templates.Figure{
		{ID: figID(day, "requests"), Label: "Requests", Value: fmtCount(t.ChatRequests)},
		{ID: figID(day, "chats"), Label: "Chats", Value: fmtCount(t.Chats)},
		{ID: figID(day, "aband"), Label: "Abandoned", Value: fmtCount(t.Abandoned)},
		{ID: figID(day, "missed"), Label: "Missed", Value: fmtCount(t.Missed)},
		{ID: figID(day, "avgwait"), Label: "Avg wait", Value: fmtDur(t.AvgWait), Level: higherWorse(t.AvgWait, d.t.AvgWaitWarn, d.t.AvgWaitCrit)},
		{ID: figID(day, "avgchat"), Label: "Avg chat", Value: fmtDur(t.AvgChatTime)},
		{ID: figID(day, "accepted"), Label: "Accepted", Value: fmtPct(t.AcceptanceRate)},
		{ID: figID(day, "score"), Label: "Score", Value: fmtScore(t.AvgScore)},
	}
}

// qualityFigures are a messaging queue's quality figures since the day began, each
// with the skill's thresholds (t); none when the vendor gave no quality figure. Only the
// manager board, whose skills grid gives such a tile a taller cell, shows them: a
// wall's or an embed's tile is sized for the queue figures.
func (d *data) qualityFigures(id, ch string, q snapshot.Queue, t Thresholds) []templates.Figure {
	if q.QualitySince.IsZero() || d.v.Audience != Manager {
		return nil
	}
	win := snapshot.DayLabel(q.QualitySince)
	return []templates.Figure{
		{ID: figID(id, ch, "csat"), Label: "CSAT", Note: win, Title: "CSAT (answers of 4 or 5) today " + win, Value: fmtPct(q.CSAT), Level: lowerWorse(q.CSAT, t.CSATWarn, t.CSATCrit)},
		{ID: figID(id, ch, "frt"), Label: "1st resp.", Note: win, Title: "Average time to first response today " + win, Value: fmtDur(q.FirstResponse), Level: higherWorse(q.FirstResponse, t.FirstResponseWarn, t.FirstResponseCrit)},
		{ID: figID(id, ch, "resp"), Label: "Resp. time", Note: win, Title: "Average agent response time today " + win, Value: fmtDur(q.ResponseTime), Level: higherWorse(q.ResponseTime, t.ResponseTimeWarn, t.ResponseTimeCrit)},
	}
}
