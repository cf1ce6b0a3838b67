package views

import (
	"context"

	"github.com/ccdash/ccdash/web/templates"
)

// trendNode renders the trend of tile id over the skills with keys as the tile's
// own swap target: a sparkline that moves re-sends only itself, and a figure that
// changes never re-sends the sparkline. It is empty (no node) without trends, or
// when want is false (a tile with nothing in view).
func (d *data) trendNode(ctx context.Context, id string, want bool, keys []string) (node, error) {
	if d.trends == nil || !want || len(keys) == 0 {
		return node{}, nil
	}
	p := d.trendProps(trendID(id), keys)
	for i := range p.Sparks {
		p.Sparks[i].ID = d.valueID(p.ID + "-" + p.Sparks[i].Metric)
	}
	html, err := render(ctx, templates.Trend(p), 1024)
	if err != nil {
		return node{}, err
	}
	// Each chart is a kid: a new minute re-draws the charts, not their labels.
	n := node{Tile: Tile{ID: p.ID, HTML: html}}
	for _, s := range p.Sparks {
		chart, err := render(ctx, templates.SparkChart(s, p.EndMS), 512)
		if err != nil {
			return node{}, err
		}
		n.kids = append(n.kids, node{Tile: Tile{ID: s.ID, HTML: chart}})
	}
	return n, nil
}

// withTrend appends trend to kids when there is one (it comes last in the tile).
func withTrend(kids []node, trend node) []node {
	if trend.ID == "" {
		return kids
	}
	return append(kids, trend)
}

// skillKeys are the keys of the skills the board shows.
func (d *data) skillKeys() []string {
	keys := make([]string, len(d.skills))
	for i, sk := range d.skills {
		keys[i] = sk.Key
	}
	return keys
}
