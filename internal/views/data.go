package views

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// ErrNotFound is wrapped when a variant asks for something the snapshot or board
// does not have (an unknown drill-down skill, an unknown embed tile): the server
// answers 404.
var ErrNotFound = errors.New("not found")

const waitingText = "Waiting for first data…"

// data is everything one render needs, computed once per variant and snapshot.
type data struct {
	v Variant
	t Thresholds // the board's, with defaults; a drill-down's skill's own
	// skillT holds each shown skill with its own thresholds (skillThresholds).
	skillT map[string]Thresholds
	snap   *snapshot.Snapshot // restricted to the viewer's scope; nil before first data
	// skills are the ones the board shows (board list ∩ scope ∩ drill-down).
	skills []snapshot.Skill
	skill  *snapshot.Skill // the drill-down skill, if any
	// failing holds sources whose latest poll failed or that never delivered.
	failing map[string]bool
	// trends, when history is kept, adds sparklines to the queue and skill tiles
	// (not to embeds: a framed tile keeps its figures whole).
	trends *Trends
	// short maps each short id handed out (shortID) to what it names.
	short map[string]string
}

func newData(v Variant, snap *snapshot.Snapshot) (*data, error) {
	d := &data{v: v, t: v.Board.Thresholds.withDefaults(), failing: map[string]bool{}}
	if snap == nil {
		if v.Skill != "" {
			return nil, fmt.Errorf("views: skill %q: %w", v.Skill, ErrNotFound)
		}
		return d, nil
	}
	d.snap = snap.Restrict(v.Scope)
	for _, st := range d.snap.Sources {
		if st.Failing() || st.LastSuccess.IsZero() {
			d.failing[st.ID] = true
		}
	}
	for _, sk := range d.snap.Skills {
		if v.Board.Wants(sk) {
			d.skills = append(d.skills, sk)
		}
	}
	if v.Skill != "" {
		i := slices.IndexFunc(d.skills, func(sk snapshot.Skill) bool { return sk.Key == v.Skill })
		if i < 0 {
			return nil, fmt.Errorf("views: skill %q on board %q: %w", v.Skill, v.Board.ID, ErrNotFound)
		}
		d.skill = &d.skills[i]
		d.skills = d.skills[i : i+1]
	}
	d.skillT = d.skillThresholds()
	if d.skill != nil {
		d.t = d.thresholdsFor(*d.skill) // the page is that skill's: all of it by its thresholds
	}
	return d, nil
}

// meta is a tile's root metadata: stale (the badge) when any of its sources is
// failing, dimmed only when all are, and naming the failing ones when it mixes
// sources. The page adds staleness by age itself, so the render never depends on
// the clock.
func (d *data) meta(id, testID string, sources []string) templates.TileMeta {
	m := templates.TileMeta{ID: id, TestID: testID}
	srcs := slices.Clone(sources)
	slices.Sort(srcs)
	srcs = slices.Compact(srcs)
	for _, s := range srcs {
		if d.failing[s] {
			m.Stale = true
		}
	}
	m.Sources = strings.Join(srcs, " ")
	var names []string
	for _, s := range srcs {
		if d.failing[s] {
			names = append(names, s)
		}
	}
	m.Dim = len(srcs) > 0 && len(names) == len(srcs)
	if len(srcs) > 1 && len(names) > 0 {
		m.StaleNames = strings.Join(names, ", ")
	}
	return m
}

func itoa(n int) string { return strconv.Itoa(n) }
