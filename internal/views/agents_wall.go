package views

import (
	"cmp"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// threshold is how long an agent may be in state s before being flagged; 0 when the
// state has none (available, offline, unknown, or switched off with a negative).
func (a AgentThresholds) threshold(s snapshot.AgentState) time.Duration {
	var d time.Duration
	switch s {
	case snapshot.Away:
		d = a.Away
	case snapshot.BackSoon:
		d = a.BackSoon
	case snapshot.Busy:
		d = a.Busy
	}
	return max(d, 0)
}

// agentLevel grades how long agent a has been in its state at now: ▲ WARN past the
// state's threshold, ◆ CRIT past twice it, LevelNone without a threshold or a
// known "since".
func (a AgentThresholds) agentLevel(ag snapshot.Agent, now time.Time) templates.Level {
	th := a.threshold(ag.State)
	if th == 0 || ag.Since.IsZero() {
		return templates.LevelNone
	}
	switch in := now.Sub(ag.Since); {
	case in >= 2*th:
		return templates.LevelCrit
	case in >= th:
		return templates.LevelWarn
	}
	return templates.LevelOK
}

// wallRank groups the wall's agent list: exceptions, then away and back soon, then
// busy, then available, then anything else.
func wallRank(l templates.Level, s snapshot.AgentState) int {
	if levelRank(l) > 0 {
		return 0
	}
	switch s {
	case snapshot.Away, snapshot.BackSoon:
		return 1
	case snapshot.Busy:
		return 2
	case snapshot.Available:
		return 3
	}
	return 4
}

// sortWallAgents orders the wall's list exceptions first (critical before warning,
// longest over first), then away and back-soon agents longest first, then busy,
// then available, each longest in state first; ties by name then key. now is the
// snapshot's time, so the order depends on the snapshot only.
func sortWallAgents(as []snapshot.Agent, th AgentThresholds, now time.Time) {
	type ranked struct {
		a     snapshot.Agent
		level templates.Level
	}
	rs := make([]ranked, len(as))
	for i, a := range as {
		rs[i] = ranked{a, th.agentLevel(a, now)}
	}
	slices.SortStableFunc(rs, func(x, y ranked) int {
		return cmp.Or(
			wallRank(x.level, x.a.State)-wallRank(y.level, y.a.State),
			levelRank(y.level)-levelRank(x.level),
			sinceOrder(x.a, y.a),
			cmp.Compare(x.a.Name, y.a.Name),
			cmp.Compare(x.a.Key, y.a.Key),
		)
	})
	for i := range rs {
		as[i] = rs[i].a
	}
}

// sinceOrder puts the agent longest in state first; unknown "since" last.
func sinceOrder(a, b snapshot.Agent) int {
	switch {
	case a.Since.IsZero() && b.Since.IsZero():
		return 0
	case a.Since.IsZero():
		return 1
	case b.Since.IsZero():
		return -1
	}
	return a.Since.Compare(b.Since)
}

// flagRow adds the time-in-state level to a wall row: the level at the snapshot's
// time and the instants it turns warn and crit, for the page to raise it between
// polls.
func flagRow(r *templates.AgentRow, a snapshot.Agent, th AgentThresholds, now time.Time) {
	d := th.threshold(a.State)
	if d == 0 || a.Since.IsZero() {
		return
	}
	r.Level = th.agentLevel(a, now)
	r.WarnAtMS = msString(a.Since.Add(d))
	r.CritAtMS = msString(a.Since.Add(2 * d))
}
