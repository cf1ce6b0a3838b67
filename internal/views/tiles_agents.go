package views

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

var stateLabels = map[snapshot.AgentState]string{
	snapshot.Available: "Available",
	snapshot.Busy:      "Busy",
	snapshot.BackSoon:  "Back soon",
	snapshot.Away:      "Away",
	snapshot.Offline:   "Offline",
	snapshot.Unknown:   "Unknown",
}

func stateRank(s snapshot.AgentState) int {
	if i := slices.Index(snapshot.States, s); i >= 0 {
		return i
	}
	return len(snapshot.States)
}

// agents returns the agents the board shows: those serving a shown skill (all of the
// scoped snapshot when the board shows every skill).
func (d *data) agents() []snapshot.Agent {
	if len(d.v.Board.Skills) == 0 && d.skill == nil {
		return d.snap.Agents
	}
	keys := make(map[string]bool, len(d.skills))
	for _, sk := range d.skills {
		keys[sk.Key] = true
	}
	var out []snapshot.Agent
	for _, a := range d.snap.Agents {
		if slices.ContainsFunc(a.Skills, func(k string) bool { return keys[k] }) {
			out = append(out, a)
		}
	}
	return out
}

// sortAgents orders the list: by state (available, busy, back soon, away, offline)
// then longest in state first; or by name, time in state, or load. Ties fall back to
// name then key so equal snapshots always render in the same order.
func sortAgents(as []snapshot.Agent, by string) {
	since := sinceOrder
	name := func(a, b snapshot.Agent) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Key, b.Key))
	}
	slices.SortStableFunc(as, func(a, b snapshot.Agent) int {
		switch by {
		case SortName:
			return name(a, b)
		case SortTime:
			return cmp.Or(since(a, b), name(a, b))
		case SortLoad:
			return cmp.Or(cmp.Compare(load(b), load(a)), stateRank(a.State)-stateRank(b.State), name(a, b))
		}
		return cmp.Or(stateRank(a.State)-stateRank(b.State), since(a, b), name(a, b))
	})
}

// load is the agent's load ratio, from the vendor or open/max; -1 when unknown.
func load(a snapshot.Agent) float64 {
	if l, ok := a.Load.Get(); ok {
		return l
	}
	o, ook := a.Open.Get()
	m, mok := a.MaxSlots.Get()
	if ook && mok && m > 0 {
		return float64(o) / float64(m)
	}
	return -1
}

func (d *data) agentsTile() templates.AgentsTileProps {
	p := templates.AgentsTileProps{
		TileMeta: templates.TileMeta{ID: idAgents, TestID: "agents"},
		Title:    "Agents",
		Scroll:   d.v.Audience != Wall,
		RowsID:   idAgentRows,
		MoreID:   idAgentsMore,
	}
	if d.snap == nil {
		p.Empty = waitingText
		return p
	}
	all := slices.Clone(d.agents())
	var c snapshot.StateCounts
	srcs := make([]string, 0, 2)
	for _, a := range all {
		c.Add(a.State)
		if !slices.Contains(srcs, a.Source) {
			srcs = append(srcs, a.Source)
		}
	}
	p.TileMeta = d.meta(idAgents, "agents", srcs)
	for _, s := range snapshot.States {
		if s == snapshot.Unknown && c.Unknown == 0 {
			continue
		}
		p.Counts = append(p.Counts, templates.StateCount{ID: figID(idAgents, escapeID(string(s))), State: string(s), Label: stateLabels[s], N: c.Get(s)})
	}
	sort := d.v.sort()
	if d.v.Audience == Manager {
		for _, s := range []struct{ key, label string }{{SortState, "State"}, {SortName, "Name"}, {SortTime, "Time in state"}, {SortLoad, "Load"}} {
			q := url.Values{"sort": {s.key}}
			if d.skill != nil {
				q.Set("skill", d.skill.Key)
			}
			p.Sorts = append(p.Sorts, templates.SortLink{Label: s.label, Href: "?" + q.Encode(), Active: s.key == sort})
		}
	}
	list := all
	if d.v.Audience == Wall {
		// Offline agents are counted but not listed: the wall shows the floor.
		list = slices.DeleteFunc(list, func(a snapshot.Agent) bool { return a.State == snapshot.Offline })
	}
	if len(list) == 0 {
		p.Empty = "No agents logged in"
		return p
	}
	th := d.v.Board.AgentThresholds.withDefaults()
	if d.v.Audience == Wall {
		sortWallAgents(list, th, d.snap.TakenAt)
		if n := d.v.layout().agentRows; len(list) > n {
			p.More = len(list) - (n - 1) // the last row holds "+N more"
			list = list[:n-1]
		}
	} else {
		sortAgents(list, sort)
	}
	p.Rows = make([]templates.AgentRow, 0, len(list))
	p.DayColumns = d.v.Audience == Manager
	for _, a := range all {
		if a.Activity != nil && !a.Activity.Since.IsZero() {
			p.DayTitle = snapshot.DayLabel(a.Activity.Since)
			break
		}
	}
	for _, a := range list {
		r := agentRow(a, d.rowID(a.Key))
		r.Dim = d.failing[a.Source]
		r.DayColumns = p.DayColumns
		if d.v.Audience == Wall {
			flagRow(&r, a, th, d.snap.TakenAt)
		}
		p.Rows = append(p.Rows, r)
	}
	return p
}

// agentRow is agent a's row, with element id id.
func agentRow(a snapshot.Agent, id string) templates.AgentRow {
	label, ok := stateLabels[a.State]
	if !ok {
		label = stateLabels[snapshot.Unknown]
	}
	r := templates.AgentRow{
		ID:         id,
		Name:       a.Name,
		State:      string(a.State),
		StateLabel: label,
		SinceMS:    msString(a.Since),
		Today:      fmtCount(a.HandledToday),
		// A lower bound only: app.js writes it "≥ 12:34".
		SinceAtLeast: a.SinceAtLeast && !a.Since.IsZero(),
		Load:         dash,
		LoadClass:    "ld-na",
		Source:       a.Source,
	}
	if a.State == snapshot.Away || a.State == snapshot.BackSoon {
		r.Reason = a.Reason
	}
	r.LoggedIn, r.Util, r.Chatting = dash, dash, dash
	if act := a.Activity; act != nil {
		r.LoggedIn, r.Chatting = fmtHours(act.LoggedIn), fmtHours(act.Chatting)
		r.Util = fmtPct(act.Utilisation())
	}
	if a.Open.Known() || a.MaxSlots.Known() {
		r.Load = fmtCount(a.Open) + "/" + fmtCount(a.MaxSlots)
	}
	if l := load(a); l >= 0 {
		r.LoadClass = "ld-" + itoa(min(int(l*10+0.5), 10))
		if l > 1 {
			r.LoadTitle = "load " + fmtPctRaw(l) + " of capacity"
		}
	}
	return r
}
