package views

import (
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
