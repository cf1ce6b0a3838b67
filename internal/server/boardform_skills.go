package server

import (
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ccdash/ccdash/internal/views"
)

// The form's per-skill rows post skill_thresholds.<skill>.<key>: the YAML path of
// boards[].skill_thresholds, so the config's code checks them with its messages.
// A skill key may hold dots; the threshold key, cut at the last one, never does.

const skillThresholdsKey = "skill_thresholds"

// skillThresholdKey is one column of the per-skill rows: a thresholds key and how a
// served board's skill override fills it.
type skillThresholdKey struct {
	key, label string
	get        func(views.Thresholds) string
}

// skillThresholdKeys are the queue figures a skill row sets; blank inherits.
var skillThresholdKeys = []skillThresholdKey{
	{"waiting_warn", "Waiting warn", func(t views.Thresholds) string { return num(t.WaitingWarn) }},
	{"waiting_crit", "Waiting crit", func(t views.Thresholds) string { return num(t.WaitingCrit) }},
	{"longest_wait_warn", "Longest warn", func(t views.Thresholds) string { return dur(t.LongestWaitWarn) }},
	{"longest_wait_crit", "Longest crit", func(t views.Thresholds) string { return dur(t.LongestWaitCrit) }},
	{"service_level_warn", "SL warn below", func(t views.Thresholds) string { return num(t.ServiceLevelWarn) }},
	{"service_level_crit", "SL crit below", func(t views.Thresholds) string { return num(t.ServiceLevelCrit) }},
	{"service_level_target", "SL target", func(t views.Thresholds) string { return dur(t.ServiceLevelTarget) }},
}

func skillThresholdName(skill, key string) string {
	return skillThresholdsKey + "." + skill + "." + key
}

// splitSkillThreshold is the skill and key of a skill_thresholds field name.
func splitSkillThreshold(name string) (skill, key string, ok bool) {
	rest, ok := strings.CutPrefix(name, skillThresholdsKey+".")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 || !slices.ContainsFunc(skillThresholdKeys, func(k skillThresholdKey) bool { return k.key == rest[i+1:] }) {
		return "", "", false
	}
	return rest[:i], rest[i+1:], true
}

// skillThresholdsFromForm copies the filled per-skill fields of a posted form.
func skillThresholdsFromForm(f url.Values, into map[string]string) {
	for name := range f {
		// A skill as the YAML holds it: a name that is not (padded, invalid UTF-8)
		// is no skill of the live list and is dropped.
		if sk, _, ok := splitSkillThreshold(name); ok && sk == formText(sk) {
			if s := formText(f.Get(name)); s != "" {
				into[name] = s
			}
		}
	}
}

// skillThresholdsFromBoard fills the per-skill fields from a served board.
func skillThresholdsFromBoard(b views.Board, into map[string]string) {
	for _, st := range b.SkillThresholds {
		for _, k := range skillThresholdKeys {
			if s := k.get(st.Thresholds); s != "" {
				into[skillThresholdName(st.Skill, k.key)] = s
			}
		}
	}
}

// overriddenSkills are the skills with a per-skill field set, sorted.
func (v boardValues) overriddenSkills() []string {
	var out []string
	for name := range v.fields {
		if sk, _, ok := splitSkillThreshold(name); ok && !slices.Contains(out, sk) {
			out = append(out, sk)
		}
	}
	slices.Sort(out)
	return out
}

// skillThresholdRows are the form's per-skill rows: every skill offered to pick,
// then any skill with values the list lacks (so saving keeps them).
func skillThresholdRows(v boardValues, choices []views.SkillChoice) []views.SkillThresholdRow {
	rows := make([]views.SkillThresholdRow, 0, len(choices))
	add := func(key, name string) {
		r := views.SkillThresholdRow{Key: key, Name: name}
		for _, k := range skillThresholdKeys {
			n := skillThresholdName(key, k.key)
			r.Fields = append(r.Fields, views.FormField{Name: n, Label: k.label, Value: v.fields[n]})
		}
		rows = append(rows, r)
	}
	for _, c := range choices {
		add(c.Key, c.Name)
	}
	for _, sk := range v.overriddenSkills() {
		if !slices.ContainsFunc(choices, func(c views.SkillChoice) bool { return c.Key == sk }) {
			add(sk, sk)
		}
	}
	return rows
}

// skillThresholdsYAML is skill_thresholds as a YAML mapping (nil when none is
// set): skill → {key: value}, skills sorted, keys in the form's order.
func (v boardValues) skillThresholdsYAML(add func(parent *yaml.Node, key string, val *yaml.Node)) *yaml.Node {
	skills := v.overriddenSkills()
	if len(skills) == 0 {
		return nil
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, sk := range skills {
		m := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range skillThresholdKeys {
			if s := v.fields[skillThresholdName(sk, k.key)]; s != "" {
				add(m, k.key, plain(s))
			}
		}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: sk, Style: yaml.DoubleQuotedStyle}, m)
	}
	return root
}
