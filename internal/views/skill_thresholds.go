package views

import (
	"strings"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// SkillThresholds is one entry of a board's skill_thresholds: a skill (key or
// name, as the board's skills list takes them) and the thresholds it sets; a zero
// field inherits the board's.
type SkillThresholds struct {
	Skill      string
	Thresholds Thresholds
}

// validateSkillThresholds checks each skill's thresholds as they apply, over the
// board's, naming skill_thresholds.<skill>.<key>. A board whose own thresholds are
// wrong gets those messages only, not the same again per skill.
func (b Board) validateSkillThresholds() []error {
	if len(b.SkillThresholds) == 0 || b.Thresholds.Validate() != nil {
		return nil
	}
	var errs []error
	for _, st := range b.SkillThresholds {
		key := "skill_thresholds." + st.Skill
		if strings.TrimSpace(st.Skill) == "" {
			errs = append(errs, field.Errorf("skill_thresholds", "a skill name is empty"))
			continue
		}
		if st.Thresholds.StaleAfter != 0 {
			errs = append(errs, field.Errorf(key+".stale_after", "is the board's, not per skill (set thresholds.stale_after)"))
		}
		errs = append(errs, field.Within(key, st.Thresholds.Over(b.Thresholds).Validate()))
	}
	return errs
}

// skillThresholds resolves every shown skill's thresholds once per render: skill
// key → its board thresholds with its override applied. Nil when the board sets
// none, so a board without overrides allocates nothing.
func (d *data) skillThresholds() map[string]Thresholds {
	if len(d.v.Board.SkillThresholds) == 0 {
		return nil
	}
	out := map[string]Thresholds{}
	for _, sk := range d.skills {
		for _, st := range d.v.Board.SkillThresholds {
			if st.Skill == sk.Key || strings.EqualFold(st.Skill, sk.Name) {
				out[sk.Key] = st.Thresholds.Over(d.t)
				break
			}
		}
	}
	return out
}

// thresholdsFor is sk's thresholds: its override's, else the board's.
func (d *data) thresholdsFor(sk snapshot.Skill) Thresholds {
	if t, ok := d.skillT[sk.Key]; ok {
		return t
	}
	return d.t
}
