package server

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ccdash/ccdash/internal/views"
)

// The board form's fields are named like the config's YAML keys ("title",
// "thresholds.waiting_warn"), so what the form posts becomes one entry of a config
// boards list and is checked by the config's own code, with its messages.

// formKey is one text field of the board form: its YAML path and how a served
// board fills it (for a copy of a config-file board).
type formKey struct {
	key, label string
	get        func(views.Board) string
}

func dur(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func num[T int | float64](v T) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(v), 'f', -1, 64)
}

// thresholdKeys are boards[].thresholds, in the README's order.
var thresholdKeys = []formKey{
	{"thresholds.waiting_warn", "Waiting: warn at", func(b views.Board) string { return num(b.Thresholds.WaitingWarn) }},
	{"thresholds.waiting_crit", "Waiting: critical at", func(b views.Board) string { return num(b.Thresholds.WaitingCrit) }},
	{"thresholds.longest_wait_warn", "Longest wait: warn at", func(b views.Board) string { return dur(b.Thresholds.LongestWaitWarn) }},
	{"thresholds.longest_wait_crit", "Longest wait: critical at", func(b views.Board) string { return dur(b.Thresholds.LongestWaitCrit) }},
	{"thresholds.avg_wait_warn", "Average wait: warn at", func(b views.Board) string { return dur(b.Thresholds.AvgWaitWarn) }},
	{"thresholds.avg_wait_crit", "Average wait: critical at", func(b views.Board) string { return dur(b.Thresholds.AvgWaitCrit) }},
	{"thresholds.service_level_warn", "Service level: warn below (%)", func(b views.Board) string { return num(b.Thresholds.ServiceLevelWarn) }},
	{"thresholds.service_level_crit", "Service level: critical below (%)", func(b views.Board) string { return num(b.Thresholds.ServiceLevelCrit) }},
	{"thresholds.service_level_target", "Service level target (answered within)", func(b views.Board) string { return dur(b.Thresholds.ServiceLevelTarget) }},
	{"thresholds.abandon_rate_warn", "Abandon rate: warn at (%)", func(b views.Board) string { return num(b.Thresholds.AbandonRateWarn) }},
	{"thresholds.abandon_rate_crit", "Abandon rate: critical at (%)", func(b views.Board) string { return num(b.Thresholds.AbandonRateCrit) }},
	{"thresholds.csat_warn", "CSAT: warn below", func(b views.Board) string { return num(b.Thresholds.CSATWarn) }},
	{"thresholds.csat_crit", "CSAT: critical below", func(b views.Board) string { return num(b.Thresholds.CSATCrit) }},
	{"thresholds.first_response_warn", "First response: warn at", func(b views.Board) string { return dur(b.Thresholds.FirstResponseWarn) }},
	{"thresholds.first_response_crit", "First response: critical at", func(b views.Board) string { return dur(b.Thresholds.FirstResponseCrit) }},
	{"thresholds.response_time_warn", "Response time: warn at", func(b views.Board) string { return dur(b.Thresholds.ResponseTimeWarn) }},
	{"thresholds.response_time_crit", "Response time: critical at", func(b views.Board) string { return dur(b.Thresholds.ResponseTimeCrit) }},
	{"thresholds.stale_after", "Data stale after", func(b views.Board) string { return dur(b.Thresholds.StaleAfter) }},
	{"agent_thresholds.away", "Agent away: flag after", func(b views.Board) string { return dur(b.AgentThresholds.Away) }},
	{"agent_thresholds.back_soon", "Agent back soon: flag after", func(b views.Board) string { return dur(b.AgentThresholds.BackSoon) }},
	{"agent_thresholds.busy", "Agent busy: flag after", func(b views.Board) string { return dur(b.AgentThresholds.Busy) }},
}

// textKeys are the board's own text fields; their values are always strings.
var textKeys = []string{"id", "title", "order", "theme", "accent"}

// flagKeys are its checkboxes.
var flagKeys = []string{"public", "show_transcripts"}

// tileKinds are the tiles a board can list, in the default order.
var tileKinds = views.AllTiles

// boardValues is what the form holds: YAML path → value, plus the lists.
type boardValues struct {
	fields map[string]string
	tiles  []string // in order
	skills []string
}

// valuesFromForm reads a posted board form. Tiles come as tile.<kind>=<position>
// (blank: not shown), so their order is set without script.
func valuesFromForm(f url.Values) boardValues {
	v := boardValues{fields: map[string]string{}}
	for _, sk := range f["skills"] {
		v.skills = append(v.skills, formText(sk))
	}
	for _, k := range textKeys {
		v.fields[k] = formText(f.Get(k))
	}
	for _, k := range flagKeys {
		if f.Get(k) != "" {
			v.fields[k] = "true"
		}
	}
	for _, fk := range thresholdKeys {
		v.fields[fk.key] = formText(f.Get(fk.key))
	}
	skillThresholdsFromForm(f, v.fields)
	type pos struct {
		kind string
		at   float64
	}
	var ps []pos
	for i, k := range tileKinds {
		s := strings.TrimSpace(f.Get("tile." + string(k)))
		if s == "" {
			continue
		}
		at, err := strconv.ParseFloat(s, 64)
		if err != nil {
			at = float64(len(tileKinds) + i) // not a number: after the numbered ones
		}
		ps = append(ps, pos{string(k), at})
	}
	slices.SortStableFunc(ps, func(a, b pos) int { return int(a.at*1000 - b.at*1000) })
	for _, p := range ps {
		v.tiles = append(v.tiles, p.kind)
	}
	return v
}

// formText is a posted value as the YAML holds it: trimmed, and valid UTF-8 (YAML
// cannot carry other bytes; a browser never sends them).
func formText(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")) }

// valuesFromBoard fills the form from a served board (a copy of a config-file board).
func valuesFromBoard(b views.Board) boardValues {
	v := boardValues{fields: map[string]string{"id": b.ID, "title": b.Title, "order": b.Order, "theme": b.Theme, "accent": b.Accent},
		skills: slices.Clone(b.Skills)}
	if b.Public {
		v.fields["public"] = "true"
	}
	if b.ShowTranscripts {
		v.fields["show_transcripts"] = "true"
	}
	for _, fk := range thresholdKeys {
		v.fields[fk.key] = fk.get(b)
	}
	skillThresholdsFromBoard(b, v.fields)
	for _, t := range b.Tiles {
		v.tiles = append(v.tiles, string(t))
	}
	return v
}

// valuesFromYAML fills the form from a stored board's YAML.
func valuesFromYAML(src string) (boardValues, error) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(src), &m); err != nil {
		return boardValues{}, err
	}
	v := boardValues{fields: map[string]string{}}
	for k, val := range m {
		switch t := val.(type) {
		case map[string]any:
			for sk, sv := range t {
				if m, ok := sv.(map[string]any); ok && k == skillThresholdsKey {
					for tk, tv := range m {
						if tv != nil {
							v.fields[skillThresholdName(sk, tk)] = scalar(tv)
						}
					}
				} else if sv != nil { // null: the default, as if left out
					v.fields[k+"."+sk] = scalar(sv)
				}
			}
		case []any:
			for _, item := range t {
				if k == "tiles" {
					v.tiles = append(v.tiles, scalar(item))
				} else if k == "skills" {
					v.skills = append(v.skills, scalar(item))
				}
			}
		case nil:
		default:
			v.fields[k] = scalar(t)
		}
	}
	return v, nil
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case nil:
		return ""
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

// yaml is the board as one entry of the config's boards list. Empty fields are
// left out (the config's defaults apply); numbers, durations and flags are plain
// scalars so the config's parser reads them as it reads a file, text is quoted.
func (v boardValues) yaml() string {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(parent *yaml.Node, key string, val *yaml.Node) {
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, val)
	}
	quoted := func(s string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
	}
	list := func(items []string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, it := range items {
			n.Content = append(n.Content, quoted(it))
		}
		return n
	}
	for _, k := range textKeys {
		if s := v.fields[k]; s != "" {
			add(root, k, quoted(s))
		}
	}
	for _, k := range flagKeys {
		if v.fields[k] == "true" {
			add(root, k, &yaml.Node{Kind: yaml.ScalarNode, Value: "true"})
		}
	}
	if len(v.tiles) > 0 {
		add(root, "tiles", list(v.tiles))
	}
	if len(v.skills) > 0 {
		add(root, "skills", list(v.skills))
	}
	groups := map[string]*yaml.Node{}
	for _, fk := range thresholdKeys {
		s := v.fields[fk.key]
		if s == "" {
			continue
		}
		group, key, _ := strings.Cut(fk.key, ".")
		g := groups[group]
		if g == nil {
			g = &yaml.Node{Kind: yaml.MappingNode}
			groups[group] = g
			add(root, group, g)
		}
		add(g, key, plain(s))
	}
	if st := v.skillThresholdsYAML(add); st != nil {
		add(root, skillThresholdsKey, st)
	}
	out, err := yaml.Marshal(root)
	if err != nil {
		return "" // only a node the code above cannot build
	}
	return string(out)
}

// plain is s as a YAML scalar the way a person types a number, duration or flag in
// the file ("5", "90s", "1m30s"), so the config's parser reads it as it reads a file;
// anything else is quoted, reaching the parser as the string it is (and failing
// there like in a file) — never as YAML syntax of its own.
func plain(s string) *yaml.Node {
	if plainScalar.MatchString(s) {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

var plainScalar = regexp.MustCompile(`^[0-9A-Za-z.+-]{1,32}$`)
