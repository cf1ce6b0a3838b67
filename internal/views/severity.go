package views

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ccdash/ccdash/web/templates"
)

// Skill orders a board accepts (order: in the config).
const (
	OrderSeverity = "severity" // worst first (critical, warning, rest), then by name: the default
	OrderName     = "name"     // by name only
	OrderConfig   = "config"   // as the board's skills list gives them, the rest by name
)

// Orders lists the accepted skill orders.
var Orders = []string{OrderSeverity, OrderName, OrderConfig}

// levelRank orders levels worst first: critical 2, warning 1, anything else 0.
func levelRank(l templates.Level) int {
	switch l {
	case templates.LevelCrit:
		return 2
	case templates.LevelWarn:
		return 1
	}
	return 0
}

// worst is the worst of levels; LevelOK when one is ok and none is worse, LevelNone
// when none is graded.
func worst(levels ...templates.Level) templates.Level {
	out := templates.LevelNone
	for _, l := range levels {
		if levelRank(l) > levelRank(out) || out == templates.LevelNone && l == templates.LevelOK {
			out = l
		}
	}
	return out
}

// tileLevel is a skill tile's level: the worst of its figures, every channel's. The
// page shows the same through CSS (.t-skill:has(.lvl-crit)), so a figure changing
// level costs that figure's bytes only.
func tileLevel(p templates.SkillTileProps) templates.Level {
	var ls []templates.Level
	for _, c := range p.Channels {
		ls = append(ls, c.Main.Level)
		for _, f := range c.Figures {
			ls = append(ls, f.Level)
		}
	}
	return worst(ls...)
}

// order is the board's skill order with the default applied.
func (b Board) order() string {
	if b.Order == "" {
		return OrderSeverity
	}
	return b.Order
}

// sortSkillTiles puts tiles in the board's page order: by name for severity and
// name (CSS then moves the worst first, see app.css .by-severity), or by the
// position of the skill in the board's list for config. Ties go by key so equal
// snapshots render equal pages.
func (d *data) sortSkillTiles(ts []skillEntry) {
	pos := func(e skillEntry) int {
		if d.v.Board.order() != OrderConfig {
			return 0
		}
		for i, s := range d.v.Board.Skills {
			if s == e.key || strings.EqualFold(s, e.props.Name) {
				return i
			}
		}
		return len(d.v.Board.Skills)
	}
	slices.SortStableFunc(ts, func(a, b skillEntry) int {
		return cmp.Or(cmp.Compare(pos(a), pos(b)), cmp.Compare(strings.ToLower(a.props.Name), strings.ToLower(b.props.Name)), cmp.Compare(a.key, b.key))
	})
}

// skillEntry is one skill tile before rendering: its key, props and level.
type skillEntry struct {
	key   string
	props templates.SkillTileProps
	level templates.Level
}

// bySeverity returns the indexes of ts (already in page order) worst first, page
// order within a level: the order the browser shows them in on a severity board.
func bySeverity(ts []skillEntry) []int {
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return levelRank(ts[b].level) - levelRank(ts[a].level) })
	return idx
}

// wallSkills picks the tiles a wall of the variant's size shows: the worst ones
// when not all fit. It returns the shown tiles in page order and a note for the
// rest ("" when all are shown).
func (d *data) wallSkills(ts []skillEntry) ([]skillEntry, templates.SkillsMoreProps) {
	lay := d.v.layout()
	sev := bySeverity(ts)
	tall := func(order []int) []bool {
		out := make([]bool, len(order))
		for i, j := range order {
			out[i] = len(ts[j].props.Channels) > 1
		}
		return out
	}
	picked, more := placeTiles(tall(sev), lay.cols, lay.rows)
	keep := make([]bool, len(ts))
	for _, i := range picked {
		keep[sev[i]] = true
	}
	if d.v.Board.order() != OrderSeverity {
		// Shown in page order, not worst first: drop the mildest until that fits too.
		for n := len(picked); n > 0; n-- {
			var sub []int
			for i := range ts {
				if keep[i] {
					sub = append(sub, i)
				}
			}
			if got := place(tall(sub), lay.cols, lay.rows, more); len(got) == len(sub) || n == 1 {
				break
			}
			keep[sev[picked[n-1]]] = false
		}
	}
	var shown []skillEntry
	var hidden []templates.Level
	for i, e := range ts {
		if keep[i] {
			shown = append(shown, e)
		} else {
			hidden = append(hidden, e.level)
		}
	}
	return shown, moreNote(hidden)
}

// moreNote says how many skills are left off a wall and whether any is in breach:
// "+12 more skills, all OK" or "+12 more skills: 1 ◆ CRIT, 2 ▲ WARN".
func moreNote(hidden []templates.Level) templates.SkillsMoreProps {
	p := templates.SkillsMoreProps{ID: idSkillsMore}
	if len(hidden) == 0 {
		return p
	}
	var crit, warn int
	for _, l := range hidden {
		switch l {
		case templates.LevelCrit:
			crit++
		case templates.LevelWarn:
			warn++
		}
	}
	noun := " more skills"
	if len(hidden) == 1 {
		noun = " more skill"
	}
	p.Text = "+" + itoa(len(hidden)) + noun
	switch {
	case crit == 0 && warn == 0:
		p.Text += ", all OK"
		p.Level = templates.LevelOK
	default:
		var parts []string
		if crit > 0 {
			parts = append(parts, itoa(crit)+" ◆ CRIT")
			p.Level = templates.LevelCrit
		}
		if warn > 0 {
			parts = append(parts, itoa(warn)+" ▲ WARN")
			p.Level = cmp.Or(p.Level, templates.LevelWarn)
		}
		p.Text += ": " + strings.Join(parts, ", ")
	}
	return p
}
