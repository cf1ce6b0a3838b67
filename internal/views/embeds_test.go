package views

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckEmbedTile(t *testing.T) {
	t.Parallel()
	sources := []string{"comm100", "lp-main"}
	all := DefaultBoard()
	queueOnly := Board{ID: "q", Title: "Q", Tiles: []TileKind{TileQueue}}
	byKey := Board{ID: "k", Title: "K", Skills: []string{"comm100:7"}}
	byName := Board{ID: "n", Title: "N", Skills: []string{"Sales"}}
	for _, tc := range []struct {
		name  string
		b     Board
		tile  string
		wantE string // "" = accepted
	}{
		{"whole board", all, "", ""},
		{"a kind the board shows", all, "agents", ""},
		{"a kind the board leaves out", queueOnly, "agents", `does not show the agents tile`},
		{"a skill tile", all, SkillTileID("comm100:7"), ""},
		{"a skill tile with odd key", all, SkillTileID("lp-main:Sales Team"), ""},
		{"a skill tile of an unknown source", all, SkillTileID("zendesk:7"), `no source "zendesk"`},
		{"a skill tile on a board without skills", queueOnly, SkillTileID("comm100:7"), "does not show skill tiles"},
		{"a listed skill", byKey, SkillTileID("comm100:7"), ""},
		{"an unlisted skill", byKey, SkillTileID("comm100:8"), `not on board "k"`},
		{"skills listed by name", byName, SkillTileID("comm100:8"), ""},
		{"unknown word", all, "queues", `unknown tile "queues"`},
		{"bare prefix", all, "tile-skill-", "unknown tile"},
		{"upper-case escape", all, "tile-skill-comm100_3A7", "unknown tile"},
		{"truncated escape", all, "tile-skill-comm100_3", "unknown tile"},
		{"no source separator", all, "tile-skill-comm100", "unknown tile"},
		{"capital letter", all, "tile-skill-Comm100_3a7", "unknown tile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckEmbedTile(tc.b, tc.tile, sources)
			switch {
			case tc.wantE == "" && err != nil:
				t.Errorf("CheckEmbedTile(%q) = %v, want nil", tc.tile, err)
			case tc.wantE != "" && (err == nil || !errors.Is(err, ErrUnknownTile) || !strings.Contains(err.Error(), tc.wantE)):
				t.Errorf("CheckEmbedTile(%q) = %v, want ErrUnknownTile containing %q", tc.tile, err, tc.wantE)
			}
		})
	}
}

func TestEmbedTilesListsKindsAndSkills(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	eb := EmbedTiles(DefaultBoard(), snap)
	if got, want := len(eb.Tiles), len(AllTiles)+len(snap.Skills); got != want {
		t.Fatalf("tiles listed = %d, want %d (every kind and every skill)", got, want)
	}
	for _, tl := range eb.Tiles {
		if err := CheckEmbedTile(DefaultBoard(), tl.ID, []string{"comm100", "lp-main"}); err != nil {
			t.Errorf("listed tile %q is refused by embed-url: %v", tl.ID, err)
		}
		if !strings.HasSuffix(tl.Command, "--tile "+tl.ID) {
			t.Errorf("command for %q = %q", tl.ID, tl.Command)
		}
	}
}

// FuzzSkillKeyOf: decoding accepts exactly what SkillTileID produces and gives the
// key back.
func FuzzSkillKeyOf(f *testing.F) {
	for _, s := range []string{"tile-skill-comm100_3a7", "tile-skill-", "tile-skill-_zz", "tile-skill-a_5fb", "queue"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tile string) {
		key, ok := skillKeyOf(tile)
		if ok && SkillTileID(key) != tile {
			t.Fatalf("skillKeyOf(%q) = %q, whose id is %q", tile, key, SkillTileID(key))
		}
		if k := tile; strings.Contains(k, ":") {
			if got, ok := skillKeyOf(SkillTileID(k)); !ok || got != k {
				t.Fatalf("round trip of key %q: got %q, %v", k, got, ok)
			}
		}
	})
}
