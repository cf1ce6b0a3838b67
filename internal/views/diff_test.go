package views

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func tiles(tb testing.TB, v Variant, s *snapshot.Snapshot) Tileset {
	tb.Helper()
	ts, err := RenderTiles(context.Background(), v, s)
	if err != nil {
		tb.Fatalf("RenderTiles: %v", err)
	}
	return ts
}

// withChats returns a copy of s whose Comm100 "chats today" is n: a figure that
// lives on exactly one tile.
func withChats(s *snapshot.Snapshot, n int64) *snapshot.Snapshot {
	out := *s
	out.Accounts = append([]snapshot.Account(nil), s.Accounts...)
	out.Accounts[0].Today.Chats = snapshot.Some(n)
	return &out
}

// withWaiting returns a copy of s where skill i has n contacts waiting on chat.
func withWaiting(s *snapshot.Snapshot, i int, n int64) *snapshot.Snapshot {
	out := *s
	out.Skills = append([]snapshot.Skill(nil), s.Skills...)
	out.Skills[i].Queues = append([]snapshot.Queue(nil), s.Skills[i].Queues...)
	out.Skills[i].Queues[0].Waiting = snapshot.Some(n)
	return &out
}

// polled returns a copy of s where source id succeeded again d later.
func polled(s *snapshot.Snapshot, id string, d time.Duration) *snapshot.Snapshot {
	out := *s
	out.Sources = append([]snapshot.SourceStatus(nil), s.Sources...)
	for i := range out.Sources {
		if out.Sources[i].ID == id {
			out.Sources[i].LastSuccess = out.Sources[i].LastSuccess.Add(d)
			out.Sources[i].LastAttempt = out.Sources[i].LastSuccess
		}
	}
	return &out
}

func ids(ts []Tile) string {
	var s []string
	for _, t := range ts {
		if len(t.HTML) == 0 {
			s = append(s, "-"+t.ID)
		} else {
			s = append(s, t.ID)
		}
	}
	return strings.Join(s, " ")
}

func TestDiff(t *testing.T) {
	t.Parallel()
	base := fixture(t, 11, 70)
	for _, aud := range []Audience{Wall, Manager} {
		v := Variant{Board: DefaultBoard(), Audience: aud, Size: SizeUHD} // a wall big enough for every skill of the fixture
		prev := tiles(t, v, base)
		t.Run(string(aud)+"/unchanged", func(t *testing.T) {
			// A new Version and TakenAt alone must not change a byte. (On the wall,
			// TakenAt is the "now" of the agents' time-in-state thresholds, so an
			// agent crossing one is a change: TestAgentThresholdCrossedByTime. The
			// thresholds are off here.)
			v := v
			v.Board.AgentThresholds = AgentThresholds{Away: -1, BackSoon: -1, Busy: -1}
			prev := tiles(t, v, base)
			again := *base
			again.Version++
			again.TakenAt = again.TakenAt.Add(time.Minute)
			if got := Diff(prev, tiles(t, v, &again)); len(got) != 0 {
				t.Errorf("got %d tiles (%s), want none", len(got), ids(got))
			}
		})
		t.Run(string(aud)+"/one figure", func(t *testing.T) {
			got := Diff(prev, tiles(t, v, withChats(base, 1188)))
			if ids(got) != valueOf(t, prev, "fig-tile-today-comm100-day-chats") {
				t.Errorf("got %q, want exactly the comm100 'chats today' figure's value", ids(got))
			}
		})
		t.Run(string(aud)+"/one skill's waiting", func(t *testing.T) {
			// The summary's number alone; the skill's figure whole, since its
			// level changes with it.
			got := Diff(prev, tiles(t, v, withWaiting(base, 4, 0)))
			want := valueOf(t, prev, "fig-tile-queue-waiting") + " " + figID(SkillTileID(base.Skills[4].Key), "chat", "waiting")
			if ids(got) != want {
				t.Errorf("got %q, want %q (the skill's figure and the summary's)", ids(got), want)
			}
		})
		t.Run(string(aud)+"/threshold crossed", func(t *testing.T) {
			// The level class and word live on the figure, so they travel with it
			// and the tile itself stays put. The summary, critical already, sends
			// its number alone.
			calm := tiles(t, v, withWaiting(base, 4, 0))
			got := Diff(calm, tiles(t, v, withWaiting(base, 4, 40)))
			id := figID(SkillTileID(base.Skills[4].Key), "chat", "waiting")
			if ids(got) != valueOf(t, calm, "fig-tile-queue-waiting")+" "+id {
				t.Fatalf("got %q, want the summary's waiting number and the skill's waiting figure only", ids(got))
			}
			if tl := got[1]; !bytes.Contains(tl.HTML, []byte("lvl-crit")) || !bytes.Contains(tl.HTML, []byte("CRIT")) {
				t.Errorf("%s: got %s, want class lvl-crit and the CRIT word", tl.ID, tl.HTML)
			}
		})
		t.Run(string(aud)+"/source polled", func(t *testing.T) {
			got := Diff(prev, tiles(t, v, polled(base, "lp-main", 5*time.Second)))
			if ids(got) != valueOf(t, prev, "fig-tile-freshness-lp-main") {
				t.Errorf("got %q, want only lp-main's freshness dot (its last success)", ids(got))
			}
		})
	}
	v := wall()
	prev := tiles(t, v, base)
	t.Run("skill appears", func(t *testing.T) {
		more := fixture(t, 12, 70)
		got := Diff(prev, tiles(t, v, more))
		if !strings.Contains(ids(got), "tile-skills") || strings.Contains(ids(got), "tile-skill-") {
			t.Errorf("got %q, want the skills grid re-sent whole (no separate skill tiles or figures)", ids(got))
		}
	})
	t.Run("skill disappears", func(t *testing.T) {
		fewer := *base
		fewer.Skills = base.Skills[:10]
		got := Diff(prev, tiles(t, v, &fewer))
		if !strings.Contains(ids(got), "tile-skills") || strings.Contains(ids(got), "tile-skill-") {
			t.Errorf("got %q, want the grid re-sent and no separate removal", ids(got))
		}
	})
	t.Run("source fails", func(t *testing.T) {
		got := Diff(prev, tiles(t, v, failing(base, "comm100")))
		// Tiles whose own class changes (stale) go whole; nothing inside them
		// may go a second time, and healthy lp-main skills do not go at all.
		want := []string{"tile-queue", "tile-agents", "tile-today", "tile-freshness"}
		for _, sk := range base.Skills {
			if sk.Source == "comm100" {
				want = append(want, SkillTileID(sk.Key))
			}
		}
		slices.Sort(want)
		gotIDs := strings.Fields(ids(got))
		slices.Sort(gotIDs)
		if !slices.Equal(gotIDs, want) {
			t.Errorf("got %q, want %q", gotIDs, want)
		}
	})
	t.Run("full set", func(t *testing.T) {
		got := ids(Diff(Tileset{}, prev))
		if got != ids(prev.Full()) || got != "tile-queue tile-skills tile-agents tile-today tile-freshness" {
			t.Errorf("got %q, want the five top-level tiles", got)
		}
	})
	t.Run("tile removed", func(t *testing.T) {
		b := DefaultBoard()
		b.Tiles = []TileKind{TileQueue, TileSkills, TileAgents}
		got := Diff(prev, tiles(t, Variant{Board: b, Audience: Wall, Size: SizeUHD}, base))
		if ids(got) != "-tile-today" {
			t.Errorf("got %q, want only the today tile removed", ids(got))
		}
	})
}

func TestMessage(t *testing.T) {
	t.Parallel()
	base := fixture(t, 11, 70)
	v := wall()
	prev := tiles(t, v, base)
	changed := Diff(prev, tiles(t, v, withChats(base, 1188)))
	msg := Message(changed, fixtureNow)
	if len(msg) >= 1024 {
		t.Errorf("one-figure message is %d bytes, want < 1 KB", len(msg))
	}
	var page bytes.Buffer
	if err := RenderPage(context.Background(), &page, v, base, PageOpts{ServerNow: fixtureNow}); err != nil {
		t.Fatal(err)
	}
	t.Logf("one-figure message %d bytes; full wall page %d bytes", len(msg), page.Len())

	d := doc(t, Message(append(changed, Tile{ID: "tile-gone"}), fixtureNow))
	top := d.Find("body").Children()
	if top.Length() != 3 {
		t.Fatalf("top-level elements: got %d, want tile + removal + clock", top.Length())
	}
	// Replacements go by id without hx-swap-oob (the ws extension's default is
	// outerHTML by id); only the removal needs one.
	for i, want := range []string{"", "delete", ""} {
		s := top.Eq(i)
		if got := s.AttrOr("hx-swap-oob", ""); s.AttrOr("id", "") == "" || got != want {
			t.Errorf("element %d: id %q hx-swap-oob %q, want an id and %q", i, s.AttrOr("id", ""), got, want)
		}
	}
	if got := top.Eq(2).AttrOr("data-now", ""); got != "1773153120000" {
		t.Errorf("clock data-now: got %q, want %d", got, fixtureNow.UnixMilli())
	}
}

// BenchmarkRenderBoard renders every tile of a board from one snapshot, what the
// live loop does once per board variant per snapshot (the wall's page adds the
// page around the tiles), and reports the p99 of one render.
func BenchmarkRenderBoard(b *testing.B) {
	for _, c := range []struct {
		name           string
		aud            Audience
		skills, agents int
		page           bool
	}{
		{"skills=11,agents=70", Manager, 11, 70, false},
		{"skills=50,agents=500", Manager, 50, 500, false},
		{"skills=50,agents=500,wall", Wall, 50, 500, false},
		{"skills=50,agents=500,wall,page", Wall, 50, 500, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			snap := fixture(b, c.skills, c.agents)
			v := Variant{Board: DefaultBoard(), Audience: c.aud}
			b.ReportAllocs()
			var n int
			var took []time.Duration
			var page bytes.Buffer
			for b.Loop() {
				start := time.Now()
				if c.page {
					page.Reset()
					if err := RenderPage(context.Background(), &page, v, snap, PageOpts{ServerNow: fixtureNow}); err != nil {
						b.Fatal(err)
					}
					n = page.Len()
				} else {
					ts, err := RenderTiles(context.Background(), v, snap)
					if err != nil {
						b.Fatal(err)
					}
					n = 0
					for _, t := range ts.Full() {
						n += len(t.HTML)
					}
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100]), "p99-ns")
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// BenchmarkDiffMessage measures diffing two tile sets and building the message,
// and reports what goes on the wire: a one-figure change (chats today), one
// skill's waiting count (that skill's figure and the summary's), one agent's load
// (the message, and its row alone beside the clock every message carries), one
// agent's state (its row moved, the state counts of the tile and of its skills),
// and the full wall page a client loads first.
func BenchmarkDiffMessage(b *testing.B) {
	for _, c := range []struct{ skills, agents int }{{11, 70}, {50, 500}} {
		b.Run(fmt.Sprintf("skills=%d,agents=%d", c.skills, c.agents), func(b *testing.B) {
			base := fixture(b, c.skills, c.agents)
			v := wall()
			prev := tiles(b, v, base)
			next := tiles(b, v, withChats(base, 1188))
			var page bytes.Buffer
			if err := RenderPage(context.Background(), &page, v, base, PageOpts{ServerNow: fixtureNow}); err != nil {
				b.Fatal(err)
			}
			skill := len(Message(Diff(prev, tiles(b, v, withWaiting(base, 4, 0))), fixtureNow))
			i := shownAgent(b, prev, base)
			agentRow := Diff(prev, tiles(b, v, withAgentOpen(base, i, base.Agents[i].Open.Or(0)%3+1)))
			agent := len(Message(agentRow, fixtureNow))
			state := len(Message(Diff(prev, tiles(b, v, withAgentState(base, i, snapshot.Away))), fixtureNow))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = len(Message(Diff(prev, next), fixtureNow))
			}
			b.ReportMetric(float64(n), "bytes-one-figure")
			b.ReportMetric(float64(skill), "bytes-one-skill-waiting")
			b.ReportMetric(float64(agent), "bytes-one-agent")
			b.ReportMetric(float64(len(Message(agentRow, fixtureNow))-len(Message(nil, fixtureNow))), "bytes-one-agent-no-clock")
			b.ReportMetric(float64(state), "bytes-agent-state")
			b.ReportMetric(float64(page.Len()), "bytes-full-page")
		})
	}
}

// shownAgent is the index in s of the first agent listed in ts, not away.
func shownAgent(tb testing.TB, ts Tileset, s *snapshot.Snapshot) int {
	tb.Helper()
	for i, a := range s.Agents {
		if _, ok := ts.Get(agentRowID(a.Key)); ok && a.State != snapshot.Away {
			return i
		}
	}
	tb.Fatal("no agent listed")
	return 0
}
