package views

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// tileLabels names the tile kinds on the embed admin page.
var tileLabels = map[TileKind]string{
	TileQueue: "Queue summary", TileSkills: "All skills", TileAgents: "Agents",
	TileToday: "Today and right now", TileFreshness: "Data freshness",
}

// EmbedTiles lists what board b can embed as one tile: each kind it shows, then a
// tile per skill of snap (nil = none yet) the board shows, in snapshot order. Each
// entry carries the `dashboard embed-url` command that signs its link.
func EmbedTiles(b Board, snap *snapshot.Snapshot) EmbedBoard {
	eb := EmbedBoard{ID: b.ID, Title: b.Title, Command: embedCommand(b.ID, "")}
	for _, k := range b.kinds() {
		eb.Tiles = append(eb.Tiles, EmbedTile{ID: string(k), Label: tileLabels[k], Command: embedCommand(b.ID, string(k))})
	}
	if snap == nil || !b.Shows(TileSkills) {
		return eb
	}
	for _, sk := range snap.Skills {
		if b.Wants(sk) {
			id := SkillTileID(sk.Key)
			eb.Tiles = append(eb.Tiles, EmbedTile{ID: id, Label: "Skill: " + sk.Name + " (" + sk.Source + ")", Command: embedCommand(b.ID, id)})
		}
	}
	return eb
}

// embedCommand is the command line that prints a signed embed link. Board ids and
// tile ids are [a-z0-9_-] only, so nothing in it needs shell quoting.
func embedCommand(board, tile string) string {
	c := "dashboard embed-url --board " + board
	if tile != "" {
		c += " --tile " + tile
	}
	return c
}

// ErrUnknownTile is wrapped by CheckEmbedTile's errors.
var ErrUnknownTile = errors.New("unknown tile")

// CheckEmbedTile reports whether tile ("" = the whole board) names a tile board b
// shows: a kind it lists, or a skill tile id (SkillTileID of a skill key) of one of
// sources, on a board that shows skills and, when the board lists skills by key,
// of a listed skill. Skill names cannot be told from an id without a snapshot, so a
// board that lists skills by name accepts any skill tile id of a known source.
func CheckEmbedTile(b Board, tile string, sources []string) error {
	if tile == "" {
		return nil
	}
	if k := TileKind(tile); slices.Contains(AllTiles, k) {
		if !b.Shows(k) {
			return fmt.Errorf("%w: board %q does not show the %s tile", ErrUnknownTile, b.ID, k)
		}
		return nil
	}
	key, ok := skillKeyOf(tile)
	if !ok {
		return fmt.Errorf("%w %q: want queue, skills, agents, today, freshness or a skill tile id (tile-skill-…, listed on /admin/embeds)", ErrUnknownTile, tile)
	}
	if !b.Shows(TileSkills) {
		return fmt.Errorf("%w: board %q does not show skill tiles", ErrUnknownTile, b.ID)
	}
	src, _, _ := strings.Cut(key, ":")
	if !slices.Contains(sources, src) {
		return fmt.Errorf("%w %q: no source %q is configured (sources: %s)", ErrUnknownTile, tile, src, strings.Join(sources, ", "))
	}
	byKey := len(b.Skills) > 0
	for _, s := range b.Skills {
		if p, _, found := strings.Cut(s, ":"); !found || !slices.Contains(sources, p) {
			byKey = false // a name: the id cannot be checked against it
		}
	}
	if byKey && !slices.Contains(b.Skills, key) {
		return fmt.Errorf("%w %q: skill %q is not on board %q", ErrUnknownTile, tile, key, b.ID)
	}
	return nil
}

// skillKeyOf decodes a skill tile id back to its skill key ("source:id"); ok is false
// for anything SkillTileID cannot have produced.
func skillKeyOf(tile string) (string, bool) {
	esc, ok := strings.CutPrefix(tile, tileSkillPrefix)
	if !ok || esc == "" {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(esc); i++ {
		c := esc[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-':
			b.WriteByte(c)
		case c == '_' && i+2 < len(esc):
			n, err := strconv.ParseUint(esc[i+1:i+3], 16, 8)
			if err != nil || esc[i+1:i+3] != strings.ToLower(esc[i+1:i+3]) {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			return "", false
		}
	}
	key := b.String()
	if escapeID(key) != esc || !strings.Contains(key, ":") {
		return "", false
	}
	return key, true
}
