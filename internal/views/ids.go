package views

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/ccdash/ccdash/web/templates"
)

// Tile ids. Skill tiles add the escaped skill key to tileSkillPrefix.
const (
	idQueue     = "tile-queue"
	idSkills    = "tile-skills"
	idAgents    = "tile-agents"
	idToday     = "tile-today"
	idFreshness = "tile-freshness"
	// idSkillsMore is the wall's "+N more skills" note inside the skills grid.
	idSkillsMore = "tile-skills-more"

	tileSkillPrefix = "tile-skill-"

	// idAgentRows is the agent list's body, the list its rows are placed in;
	// idAgentsMore the capped list's "+N more" note.
	idAgentRows  = "tile-agents-rows"
	idAgentsMore = "tile-agents-more"
	// agentRowPrefix starts each agent row's id: short, because moves name rows.
	agentRowPrefix = "ag-"
)

// SkillTileID is the element id of a skill's tile. Keys are vendor data ("comm100:7",
// names with spaces), so every byte outside [a-z0-9-] is written as _xx (hex): the
// result is a valid id and CSS identifier, needs no escaping in selectors, and stays
// unique because '_' itself is escaped.
func SkillTileID(key string) string { return tileSkillPrefix + escapeID(key) }

// agentRowID is the element id of an agent's row in the agent list: short, since
// a row that moves is named twice (deleted, then inserted after its predecessor)
// beside its own id and its cells'. Only when two rows of a render hash alike
// does the later one get another (data.rowID).
func agentRowID(key string) string { return agentRowPrefix + hash36(key) }

// escapeID keeps [a-z0-9-] and writes every other byte as _xx.
func escapeID(key string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(key) + 8)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// figID is the element id of one figure inside tile (or group) id: "fig-" + id +
// "-" + key. Keys are fixed words without '-' (a channel token, when there is one,
// is a word too), so reading an id from the right always splits it the same way
// and two figures never share an id even when escaped skill keys contain '-'.
func figID(id string, key ...string) string {
	return "fig-" + id + "-" + strings.Join(key, "-")
}

// hash36 is a base-36 FNV-32 hash of s: a short id part, stable from render to
// render.
func hash36(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// shortID returns id, the short id of owner, unless another owner of this render
// has it already: then fallback, an id unique by construction. Diff sees every
// change either way, since a container's shape names its kids
// (TestValueIDsCollide).
func (d *data) shortID(id, owner, fallback string) string {
	if d.short == nil {
		d.short = map[string]string{}
	}
	if o, taken := d.short[id]; taken && o != owner {
		return fallback
	}
	d.short[id] = owner
	return id
}

// valueID is the id of the value (a number, a source's last success) inside the
// element with id, the swap target sent most often: "v" and hash36(id); else
// id + "_v" (escaped keys write '_' only before two hex digits, so no element id
// ends so).
func (d *data) valueID(id string) string { return d.shortID("v"+hash36(id), id, id+"_v") }

// rowID is agentRowID(key); else the prefix, '_' and the escaped key, which no
// hash has.
func (d *data) rowID(key string) string {
	return d.shortID(agentRowID(key), key, agentRowPrefix+"_"+escapeID(key))
}

// figureValues gives each figure with an id its value id.
func (d *data) figureValues(figs []templates.Figure) {
	for i := range figs {
		if figs[i].ID != "" {
			figs[i].ValueID = d.valueID(figs[i].ID)
		}
	}
}

// countValues gives each count with an id its value id.
func (d *data) countValues(cs []templates.StateCount) {
	for i := range cs {
		if cs[i].ID != "" {
			cs[i].ValueID = d.valueID(cs[i].ID)
		}
	}
}
