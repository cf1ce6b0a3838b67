package views

import (
	"context"

	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/web/templates"
)

// Each tile renders once whole (for the page and for re-sends) and each of its
// figures once alone (the swap targets a one-figure change sends). The figure
// bytes are the ones inside the tile, so the tile's shape is the tile with them
// cut out.

func figureID(f templates.Figure) string         { return f.ID }
func figureValueID(f templates.Figure) string    { return f.ValueID }
func countID(c templates.StateCount) string      { return c.ID }
func countValueID(c templates.StateCount) string { return c.ValueID }
func sourceRowID(s templates.SourceRow) string   { return s.TargetID }
func sourceDotID(s templates.SourceRow) string   { return s.UpdatedID }

// figures renders figs with comp, each with its value a kid (FigValue).
func figures(ctx context.Context, figs []templates.Figure, comp func(templates.Figure) templ.Component) ([]node, error) {
	return valued(ctx, figs, figureID, figureValueID, comp, templates.FigValue)
}

// counts renders cs with comp, each with its number a kid (CountValue).
func counts(ctx context.Context, cs []templates.StateCount, comp func(templates.StateCount) templ.Component) ([]node, error) {
	return valued(ctx, cs, countID, countValueID, comp, templates.CountValue)
}

func (d *data) queueNode(ctx context.Context) (node, error) {
	p := d.queueTile()
	d.figureValues(p.Figures)
	trend, err := d.trendNode(ctx, p.ID, p.Empty == "", d.skillKeys())
	if err != nil {
		return node{}, err
	}
	p.Extra = trend.HTML
	html, err := render(ctx, templates.QueueTile(p), 2048)
	if err != nil {
		return node{}, err
	}
	kids, err := figures(ctx, p.Figures, templates.Fig)
	return node{Tile: Tile{ID: p.ID, HTML: html}, kids: withTrend(kids, trend)}, err
}

// agentsNode is the agents tile: its state counts, the list body with one row
// each (rendered once, bottom up: the row alone is a swap target and the same
// bytes go into the body and the tile) and the wall's "+N more" note.
func (d *data) agentsNode(ctx context.Context) (node, error) {
	p := d.agentsTile()
	d.countValues(p.Counts)
	kids, err := counts(ctx, p.Counts, templates.StateCountItem)
	if err != nil {
		return node{}, err
	}
	if p.Empty == "" {
		body, err := rowsNode(ctx, p)
		if err != nil {
			return node{}, err
		}
		p.Body = body.HTML
		kids = append(kids, body)
		if p.More > 0 {
			more, err := render(ctx, templates.AgentsMore(p), 64)
			if err != nil {
				return node{}, err
			}
			kids = append(kids, node{Tile: Tile{ID: p.MoreID, HTML: more}})
		}
	}
	html, err := render(ctx, templates.AgentsTile(p), 1024+len(p.Body))
	return node{Tile: Tile{ID: p.ID, HTML: html}, kids: kids}, err
}

// rowsNode is the agent list's body, a list node of its rows.
func rowsNode(ctx context.Context, p templates.AgentsTileProps) (node, error) {
	rows := make([]node, 0, len(p.Rows))
	rp := templates.AgentRowsProps{ID: p.RowsID, Rows: make([][]byte, 0, len(p.Rows))}
	size := 64
	for _, r := range p.Rows {
		n, err := rowNode(ctx, r)
		if err != nil {
			return node{}, err
		}
		rows = append(rows, n)
		rp.Rows = append(rp.Rows, n.HTML)
		size += len(n.HTML)
	}
	html, err := render(ctx, templates.AgentRows(rp), size)
	return node{Tile: Tile{ID: p.RowsID, HTML: html}, kids: rows, list: true}, err
}

func (d *data) freshnessNode(ctx context.Context) (node, error) {
	p := d.freshnessTile()
	for i, s := range p.Sources {
		if s.TargetID != "" {
			p.Sources[i].UpdatedID = d.valueID(s.TargetID)
		}
	}
	html, err := render(ctx, templates.FreshnessTile(p), 512)
	if err != nil {
		return node{}, err
	}
	kids, err := valued(ctx, p.Sources, sourceRowID, sourceDotID, templates.SourceItem, templates.SourceDot)
	if err == nil && p.Replica != nil {
		var rep []node
		rep, err = leaves(ctx, []templates.ReplicaRow{*p.Replica}, func(r templates.ReplicaRow) string { return r.TargetID }, templates.ReplicaItem)
		kids = append(kids, rep...)
	}
	return node{Tile: Tile{ID: p.ID, HTML: html}, kids: kids}, err
}

// rowNode is one agent's row with its load and handled-today cells, the figures
// that change while the agent's state stays.
func rowNode(ctx context.Context, r templates.AgentRow) (node, error) {
	html, err := render(ctx, templates.AgentRowItem(r), 384)
	if err != nil {
		return node{}, err
	}
	load, err := render(ctx, templates.AgentLoadCell(r), 96)
	if err != nil {
		return node{}, err
	}
	today, err := render(ctx, templates.AgentTodayCell(r), 48)
	if err != nil {
		return node{}, err
	}
	return node{Tile: Tile{ID: r.ID, HTML: html}, kids: []node{
		{Tile: Tile{ID: r.ID + "_l", HTML: load}},
		{Tile: Tile{ID: r.ID + "_t", HTML: today}},
	}}, nil
}

// skillNode is one skill tile with its figures: per channel the headline and the
// small figures, then the agent counts, then its trend (when history is kept).
func (d *data) skillNode(ctx context.Context, key string, p templates.SkillTileProps) (node, error) {
	trend, err := d.trendNode(ctx, p.ID, true, []string{key})
	if err != nil {
		return node{}, err
	}
	p.Extra = trend.HTML
	for i := range p.Channels {
		c := &p.Channels[i]
		if c.Main.ID != "" {
			c.Main.ValueID = d.valueID(c.Main.ID)
		}
		d.figureValues(c.Figures)
	}
	d.countValues(p.Agents)
	html, err := render(ctx, templates.SkillTile(p), 1024)
	if err != nil {
		return node{}, err
	}
	var kids []node
	for _, c := range p.Channels {
		main, err := figures(ctx, []templates.Figure{c.Main}, templates.MainFig)
		if err != nil {
			return node{}, err
		}
		figs, err := figures(ctx, c.Figures, templates.Fig)
		if err != nil {
			return node{}, err
		}
		kids = append(append(kids, main...), figs...)
	}
	agents, err := counts(ctx, p.Agents, templates.AgentCount)
	if err != nil {
		return node{}, err
	}
	return node{Tile: Tile{ID: p.ID, HTML: html}, kids: withTrend(append(kids, agents...), trend)}, nil
}

// skillsNode is the skills grid with every skill tile in it, in the board's order;
// on the wall only the tiles that fit, and the note on the rest.
func (d *data) skillsNode(ctx context.Context) (node, error) {
	g := templates.SkillsGridProps{ID: idSkills, TestID: "skills"}
	if d.snap == nil {
		g.Empty = waitingText
	} else if len(d.skills) == 0 {
		g.Empty = "No skills in view"
	}
	entries := make([]skillEntry, 0, len(d.skills))
	for _, sk := range d.skills {
		p := d.skillTile(sk)
		entries = append(entries, skillEntry{key: sk.Key, props: p, level: tileLevel(p)})
	}
	d.sortSkillTiles(entries)
	var more *templates.SkillsMoreProps
	if d.v.Audience == Wall && len(entries) > 0 {
		shown, note := d.wallSkills(entries)
		entries, more = shown, &note
	}
	g.Class = d.gridClass(entries, more)
	kids := make([]node, 0, len(entries)+1)
	for _, e := range entries {
		k, err := d.skillNode(ctx, e.key, e.props)
		if err != nil {
			return node{}, err
		}
		kids = append(kids, k)
		g.Tiles = append(g.Tiles, k.HTML)
	}
	if more != nil {
		html, err := render(ctx, templates.SkillsMore(*more), 128)
		if err != nil {
			return node{}, err
		}
		kids = append(kids, node{Tile: Tile{ID: more.ID, HTML: html}})
		g.More = html
	}
	html, err := render(ctx, templates.SkillsGrid(g), 1024*(len(kids)+1))
	return node{Tile: Tile{ID: idSkills, HTML: html}, kids: kids}, err
}

// todayNode is the today tile with each account's two groups, each group with
// its figures.
func (d *data) todayNode(ctx context.Context) (node, error) {
	tg := d.todayTile()
	kids := make([]node, 0, len(tg.groups))
	for _, g := range tg.groups {
		d.figureValues(g.Figures)
		html, err := render(ctx, templates.TodayGroup(g), 1024)
		if err != nil {
			return node{}, err
		}
		figs, err := figures(ctx, g.Figures, templates.Fig)
		if err != nil {
			return node{}, err
		}
		kids = append(kids, node{Tile: Tile{ID: g.ID, HTML: html}, kids: figs})
	}
	p := tg.tile
	for i := range p.Accounts {
		p.Accounts[i].Now, p.Accounts[i].Day = kids[2*i].HTML, kids[2*i+1].HTML
	}
	html, err := render(ctx, templates.TodayTile(p), 2048)
	return node{Tile: Tile{ID: idToday, HTML: html}, kids: kids}, err
}
