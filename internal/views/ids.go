package views

import "strings"

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

// agentRowID is the element id of an agent's row in the agent list.
func agentRowID(key string) string { return agentRowPrefix + escapeID(key) }

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
