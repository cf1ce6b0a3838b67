package boardstore

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxSummary caps a summary: the audit log is for reading at a glance.
const maxSummary = 400

// Summary describes what changed from the board YAML old to new as the keys that
// differ ("thresholds.waiting_warn: 5 → 8; title: Sales → Sales floor"). Empty
// old means a new board: its keys are listed with their values. Text that is not
// YAML is compared whole.
func Summary(old, new string) string {
	a, errA := flatten(old)
	b, errB := flatten(new)
	if errA != nil || errB != nil {
		if old == new {
			return "no change"
		}
		return "changed"
	}
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		va, inA := a[k]
		vb, inB := b[k]
		switch {
		case va == vb:
		case !inA && old == "":
			parts = append(parts, k+": "+vb)
		case !inA:
			parts = append(parts, k+": (none) → "+vb)
		case !inB:
			parts = append(parts, k+": "+va+" → (none)")
		default:
			parts = append(parts, k+": "+va+" → "+vb)
		}
	}
	if len(parts) == 0 {
		return "no change"
	}
	s := strings.Join(parts, "; ")
	if len(s) > maxSummary {
		s = strings.ToValidUTF8(s[:maxSummary], "") + "…"
	}
	return s
}

// flatten maps a YAML document to "a.b.c" → scalar; lists become "[x, y]".
func flatten(src string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(src) == "" {
		return out, nil
	}
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		return nil, err
	}
	walk("", v, out)
	return out, nil
}

func walk(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			walk(key, c, out)
		}
	case []any:
		items := make([]string, 0, len(t))
		for _, c := range t {
			items = append(items, fmt.Sprint(c))
		}
		out[prefix] = "[" + strings.Join(items, ", ") + "]"
	case nil:
	default:
		out[prefix] = fmt.Sprint(t)
	}
}
