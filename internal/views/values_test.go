package views

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestValueIDsCollide: the chat waiting figures of skills comm100:131588 and
// comm100:1209800 hash to one value id. Both still get ids of their own, once in
// the page, and a page that applies the diff equals the new page whichever of
// them comes or goes (the other's value id changes with it).
func TestValueIDsCollide(t *testing.T) {
	t.Parallel()
	const a, b = "131588", "1209800"
	floor := func(waiting int64, ids ...string) *snapshot.Snapshot {
		var skills []snapshot.Skill
		for _, id := range ids {
			skills = append(skills, snapshot.Skill{Key: snapshot.Key("comm100", id), ID: id, Source: "comm100", Name: "Skill " + id,
				Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some(waiting)}}})
		}
		return snapshot.Merge(nil, []snapshot.Part{{Source: "comm100", Skills: skills}},
			[]snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
	}
	fig := func(id string) string { return figID(SkillTileID(snapshot.Key("comm100", id)), "chat", "waiting") }
	v := manager()
	ts := tiles(t, v, floor(1, a, b))
	va, vb := valueOf(t, ts, fig(a)), valueOf(t, ts, fig(b))
	if va == vb || (va == fig(a)+"_v") == (vb == fig(b)+"_v") {
		t.Fatalf("value ids %q and %q: want one short, the other its figure's id + _v", va, vb)
	}
	d := page(t, v, floor(1, a, b))
	for _, id := range []string{va, vb} {
		if n := d.Find("#" + id).Length(); n != 1 {
			t.Errorf("%s: %d elements in the page, want 1", id, n)
		}
	}
	floors := map[string]*snapshot.Snapshot{"both": floor(1, a, b), "a": floor(2, a), "b": floor(3, b)}
	for from, prev := range floors {
		for to, next := range floors {
			if from == to {
				continue
			}
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				got := page(t, v, prev)
				apply(t, got, Message(Diff(tiles(t, v, prev), tiles(t, v, next)), fixtureNow))
				if g, w := bodyHTML(t, got), bodyHTML(t, page(t, v, next)); g != w {
					t.Errorf("page after the diff differs from the new page\ngot:  %.600s\nwant: %.600s", diffAt(g, w), diffAt(w, g))
				}
			})
		}
	}
	if !strings.HasPrefix(valueOf(t, tiles(t, v, floor(1, b)), fig(b)), "v") {
		t.Error("alone, skill b's value id is not the short one")
	}
}

// TestRowIDsCollide: agents comm100:57688 and comm100:420800 hash to one row id.
// Both rows still get ids of their own, and the page follows either one leaving
// or coming back.
func TestRowIDsCollide(t *testing.T) {
	t.Parallel()
	const a, b = "57688", "420800"
	floor := func(ids ...string) *snapshot.Snapshot {
		var agents []snapshot.Agent
		for i, id := range ids {
			agents = append(agents, snapshot.Agent{Key: snapshot.Key("comm100", id), ID: id, Source: "comm100", Name: "Agent " + id,
				State: snapshot.Available, Since: fixtureNow.Add(-time.Duration(i+1) * time.Minute), Open: snapshot.Some[int64](1), MaxSlots: snapshot.Some[int64](3)})
		}
		return snapshot.Merge(nil, []snapshot.Part{{Source: "comm100", Agents: agents}},
			[]snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
	}
	v := manager()
	ts := tiles(t, v, floor(a, b))
	ra, rb := agentRowID(snapshot.Key("comm100", a)), agentRowID(snapshot.Key("comm100", b))
	if ra != rb {
		t.Fatalf("row ids %q and %q: the keys no longer collide", ra, rb)
	}
	if rows := ts.lists[idAgentRows]; len(rows) != 2 || rows[0] == rows[1] || !slices.Contains(rows, ra) {
		t.Fatalf("rows %v, want two ids, one of them %s", rows, ra)
	}
	floors := map[string]*snapshot.Snapshot{"both": floor(a, b), "a": floor(a), "b": floor(b), "swapped": floor(b, a)}
	for from, prev := range floors {
		for to, next := range floors {
			if from == to {
				continue
			}
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				got := page(t, v, prev)
				apply(t, got, Message(Diff(tiles(t, v, prev), tiles(t, v, next)), fixtureNow))
				if g, w := bodyHTML(t, got), bodyHTML(t, page(t, v, next)); g != w {
					t.Errorf("page after the diff differs from the new page\ngot:  %.600s\nwant: %.600s", diffAt(g, w), diffAt(w, g))
				}
			})
		}
	}
}
