package views

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// apply swaps msg into page the way the htmx ws extension (with app.js's
// unwrapping of <template>) does, in order: each top-level element replaces the
// element with its id (outerHTML), or deletes it, or (hx-swap-oob=
// "afterbegin:#list" / "afterend:#row") is inserted there.
func apply(t *testing.T, page *goquery.Document, msg []byte) {
	t.Helper()
	// htmx parses a message inside a <template>, as the browser does: html.Parse
	// keeps a template's content as its children.
	m := doc(t, append(append([]byte("<body><template>"), msg...), "</template></body>"...)).Find("template").First()
	type swap struct {
		id, oob string
		el      *goquery.Selection
	}
	var swaps []swap
	m.Children().Each(func(_ int, el *goquery.Selection) {
		sw := swap{el.AttrOr("id", ""), el.AttrOr("hx-swap-oob", ""), el}
		if goquery.NodeName(el) == "template" {
			// A wrapped table part: the element is the template's only child.
			if sw.el = el.Children(); sw.el.Length() != 1 {
				t.Errorf("template %q: %d elements, want 1", sw.oob, sw.el.Length())
				return
			}
			sw.id = sw.el.AttrOr("id", "")
		}
		swaps = append(swaps, sw)
	})
	// Each element goes once (a moved row: deleted, then inserted), and never
	// also inside another element of the same message: a re-sent container
	// already carries its children.
	top, deleted := map[string]bool{}, map[string]bool{}
	for _, sw := range swaps {
		if top[sw.id] && !deleted[sw.id] {
			t.Errorf("swap %q: sent twice", sw.id)
		}
		top[sw.id], deleted[sw.id] = true, sw.oob == "delete"
	}
	for _, sw := range swaps {
		sw.el.Find("[id]").Each(func(_ int, el *goquery.Selection) {
			if id := el.AttrOr("id", ""); top[id] {
				t.Errorf("swap %q: also sent inside another element", id)
			}
		})
	}
	for _, sw := range swaps {
		if style, sel, ok := strings.Cut(sw.oob, ":"); ok {
			target := page.Find(sel)
			if target.Length() != 1 || page.Find("#"+sw.id).Length() != 0 {
				t.Errorf("insert %q at %s: %d targets, or already in the page", sw.id, sw.oob, target.Length())
				continue
			}
			if style == "afterbegin" {
				target.PrependSelection(sw.el)
			} else {
				target.AfterSelection(sw.el)
			}
			continue
		}
		target := page.Find("#" + sw.id)
		if target.Length() != 1 {
			t.Errorf("swap %q: %d targets in the page, want 1", sw.id, target.Length())
			continue
		}
		if sw.oob == "delete" {
			target.Remove()
			continue
		}
		// htmx drops the swap attribute; keep the others in order.
		n := sw.el.Nodes[0]
		n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == "hx-swap-oob" })
		target.ReplaceWithSelection(sw.el)
	}
}

// isValue tells whether id is a value in ts: the number (or last success) inside
// a figure, count or source row, a swap target of its own.
func isValue(ts Tileset, id string) bool {
	p, child := ts.parent[id]
	return child && strings.HasPrefix(p, "fig-") && (!strings.HasPrefix(id, "fig-") || id == p+"_v")
}

// valueOf is the id of the value inside element id of ts.
func valueOf(tb testing.TB, ts Tileset, id string) string {
	tb.Helper()
	if v := valueIn(ts, id); v != "" {
		return v
	}
	tb.Fatalf("%s has no value in the tile set", id)
	return ""
}

func hasValue(ts Tileset, id string) bool { return valueIn(ts, id) != "" }

func valueIn(ts Tileset, id string) string {
	for _, tl := range ts.Tiles() {
		if ts.parent[tl.ID] == id && isValue(ts, tl.ID) {
			return tl.ID
		}
	}
	return ""
}

func bodyHTML(t *testing.T, d *goquery.Document) string {
	t.Helper()
	h, err := d.Find("body").Html()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// withAgentState returns a copy of s where agent i is in state st.
func withAgentState(s *snapshot.Snapshot, i int, st snapshot.AgentState) *snapshot.Snapshot {
	out := *s
	out.Agents = append([]snapshot.Agent(nil), s.Agents...)
	out.Agents[i].State = st
	return &out
}

// withAgentOpen returns a copy of s where agent i has n open conversations.
func withAgentOpen(s *snapshot.Snapshot, i int, n int64) *snapshot.Snapshot {
	out := *s
	out.Agents = append([]snapshot.Agent(nil), s.Agents...)
	out.Agents[i].Open = snapshot.Some(n)
	return &out
}

// withAgentSince returns a copy of s where agent i entered its state d later.
func withAgentSince(s *snapshot.Snapshot, i int, d time.Duration) *snapshot.Snapshot {
	out := *s
	out.Agents = append([]snapshot.Agent(nil), s.Agents...)
	out.Agents[i].Since = out.Agents[i].Since.Add(d)
	return &out
}

// withoutAgents returns a copy of s without the agents at the given indexes.
func withoutAgents(s *snapshot.Snapshot, idx ...int) *snapshot.Snapshot {
	out := *s
	out.Agents = nil
	for i, a := range s.Agents {
		if !slices.Contains(idx, i) {
			out.Agents = append(out.Agents, a)
		}
	}
	return &out
}

// reversed returns a copy of s where every agent's time in state is mirrored
// (the longest in state becomes the shortest), which reverses the order of the
// agents within each state.
func reversed(s *snapshot.Snapshot) *snapshot.Snapshot {
	out := *s
	out.Agents = append([]snapshot.Agent(nil), s.Agents...)
	for i := range out.Agents {
		age := fixtureNow.Sub(out.Agents[i].Since)
		out.Agents[i].Since = fixtureNow.Add(age - 2*time.Hour)
	}
	return &out
}

// TestDiffAppliedGivesNextPage: for every kind of change, the page a client
// holds, with the diff message swapped in, is exactly the page rendered from the
// new snapshot. This is what makes figure-level diffs safe: nothing is missed,
// nothing is sent twice or swapped into a place that no longer exists.
func TestDiffAppliedGivesNextPage(t *testing.T) {
	t.Parallel()
	base := fixture(t, 11, 70)
	withSecondChannel := func(s *snapshot.Snapshot) *snapshot.Snapshot {
		out := *s
		out.Skills = append([]snapshot.Skill(nil), s.Skills...)
		q := s.Skills[0].Queues[0]
		q.Channel = snapshot.Messaging
		out.Skills[0].Queues = append(append([]snapshot.Queue(nil), s.Skills[0].Queues...), q)
		return &out
	}
	fewer := *base
	fewer.Skills = base.Skills[:10]
	tests := []struct {
		name       string
		prev, next *snapshot.Snapshot
		small      bool // a figure-level change: the message must stay under 1 KB
	}{
		{"one skill's waiting", base, withWaiting(base, 4, 0), true},
		{"threshold crossed", withWaiting(base, 4, 0), withWaiting(base, 4, 40), true},
		{"chats today", base, withChats(base, 1188), true},
		{"source polled", base, polled(base, "comm100", 5*time.Second), true},
		{"agent changes state", base, withAgentState(base, 3, snapshot.Away), false},
		{"agent's load changes", base, withAgentOpen(base, 3, 0), true},
		{"agent moves in the sort", base, withAgentSince(base, 3, -50*time.Minute), true},
		{"agents log off", base, withAgentState(withAgentState(base, 3, snapshot.Offline), 5, snapshot.Offline), false},
		{"agents log on", withAgentState(withAgentState(base, 3, snapshot.Offline), 5, snapshot.Offline), base, false},
		{"agents come and go", withoutAgents(base, 1, 7, 20), withoutAgents(base, 2, 9, 33, 40), false},
		{"agents reversed", base, reversed(base), false},
		{"source fails", base, failing(base, "comm100"), false},
		{"source recovers", failing(base, "lp-main"), base, false},
		{"skill appears", base, fixture(t, 12, 70), false},
		{"skill disappears", base, &fewer, false},
		{"channel added", base, withSecondChannel(base), false},
		{"first data", nil, base, false},
	}
	for _, aud := range []Audience{Wall, Manager} {
		v := Variant{Board: DefaultBoard(), Audience: aud}
		for _, tc := range tests {
			t.Run(string(aud)+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				msg := Message(Diff(tiles(t, v, tc.prev), tiles(t, v, tc.next)), fixtureNow)
				if tc.small && len(msg) >= 1024 {
					t.Errorf("message is %d bytes, want < 1 KB: %s", len(msg), msg)
				}
				got := page(t, v, tc.prev)
				apply(t, got, msg)
				if g, w := bodyHTML(t, got), bodyHTML(t, page(t, v, tc.next)); g != w {
					t.Errorf("page after the diff differs from the new page\ngot:  %.600s\nwant: %.600s", diffAt(g, w), diffAt(w, g))
				}
			})
		}
	}
}

// diffAt returns a from a little before where it first differs from b.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-120):]
}

// TestOneFigureMessageUnder1KB: on a large board, any single figure changing
// (every figure element of every tile, wall and manager) goes out as one message
// under 1 KB, and so does one skill's waiting count, which changes that skill's
// figure and the summary's.
func TestOneFigureMessageUnder1KB(t *testing.T) {
	t.Parallel()
	base := fixture(t, 50, 500)
	for _, aud := range []Audience{Wall, Manager} {
		t.Run(string(aud), func(t *testing.T) {
			t.Parallel()
			v := Variant{Board: DefaultBoard(), Audience: aud}
			ts := tiles(t, v, base)
			var figs, largest int
			for _, tl := range ts.Tiles() {
				// A figure: a fig- element with at most its value inside (a
				// today group holds figures).
				if _, container := ts.shape[tl.ID]; !strings.HasPrefix(tl.ID, "fig-") || container && !hasValue(ts, tl.ID) {
					continue
				}
				figs++
				n := len(Message([]Tile{tl}, fixtureNow))
				largest = max(largest, n)
				if n >= 1024 {
					t.Errorf("%s: %d bytes, want < 1 KB", tl.ID, n)
				}
			}
			// The wall shows the skills that fit its screen (the worst ones); a
			// hidden skill turning critical is a change of which skills are shown,
			// not of one figure (TestWallShowsWorstSkills).
			var shown []int
			for i, sk := range base.Skills {
				if _, ok := ts.Get(SkillTileID(sk.Key)); ok {
					shown = append(shown, i)
				}
			}
			if aud == Manager && len(shown) != len(base.Skills) {
				t.Fatalf("manager shows %d of %d skills, want all", len(shown), len(base.Skills))
			}
			if figs < len(shown)*8 || len(shown) < 8 {
				t.Fatalf("%d figure elements for %d skills shown, want at least 8 per skill and 8 skills", figs, len(shown))
			}
			for _, i := range shown {
				changed := Diff(ts, tiles(t, v, withWaiting(base, i, 99)))
				msg := Message(changed, fixtureNow)
				if len(changed) != 2 || len(msg) >= 1024 {
					t.Errorf("skill %d waiting: %d elements (%s), %d bytes; want 2 under 1 KB", i, len(changed), ids(changed), len(msg))
				}
			}
			t.Logf("%d figures, largest one-figure message %d bytes", figs, largest)
		})
	}
}

// TestFigureIDsUniqueWithOddKeys: skill keys that escape to ids containing '-',
// repeated and unknown channels still give every element its own valid id.
func TestFigureIDsUniqueWithOddKeys(t *testing.T) {
	t.Parallel()
	q := func(ch snapshot.Channel) snapshot.Queue {
		return snapshot.Queue{Channel: ch, Waiting: snapshot.Some[int64](1)}
	}
	snap := snapshot.Merge(nil, []snapshot.Part{{Source: "comm100", Skills: []snapshot.Skill{
		{Key: "comm100:a", ID: "a", Source: "comm100", Name: "A", Queues: []snapshot.Queue{q(snapshot.Chat), q(snapshot.Chat), q("c1"), q("")}},
		{Key: "comm100:a-chat", ID: "a-chat", Source: "comm100", Name: "B", Queues: []snapshot.Queue{q(snapshot.Chat)}},
		{Key: "comm100:a-c1", ID: "a-c1", Source: "comm100", Name: "C", Queues: []snapshot.Queue{q("x-y")}},
	}}}, []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
	ts := tiles(t, manager(), snap)
	seen := map[string]bool{}
	for _, tl := range ts.Tiles() {
		if seen[tl.ID] || !validID.MatchString(tl.ID) {
			t.Errorf("id %q: duplicate %v or not a plain identifier", tl.ID, seen[tl.ID])
		}
		seen[tl.ID] = true
	}
	d := page(t, manager(), snap)
	for id := range seen {
		if n := d.Find("#" + id).Length(); n != 1 {
			t.Errorf("%s: %d elements in the page, want 1", id, n)
		}
	}
}

// TestSkeletonNeedsVerbatimKids: a child whose bytes are not inside its container
// (a template that renders a figure differently in place) is an error, not a
// silently missed change.
func TestSkeletonNeedsVerbatimKids(t *testing.T) {
	t.Parallel()
	kid := node{Tile: Tile{ID: "k", HTML: []byte(`<b id="k">1</b>`)}}
	got, err := skeleton([]byte(`<div id="p"><b id="k">1</b></div>`), []node{kid}, true)
	if err != nil || string(got) != `<div id="p"><!--k--></div>` {
		t.Errorf("skeleton: got %q, %v", got, err)
	}
	var ts Tileset
	err = ts.addNode(node{Tile: Tile{ID: "p", HTML: []byte(`<div id="p"><b id="k">2</b></div>`)}, kids: []node{kid}}, "")
	if err == nil {
		t.Error("kid not in its container: got no error")
	}
}

// TestFullPageSize logs the full wall page next to the one-figure messages, the
// numbers the README quotes.
func TestFullPageSize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ skills, agents int }{{11, 70}, {50, 500}} {
		base := fixture(t, c.skills, c.agents)
		v := wall()
		var b bytes.Buffer
		if err := RenderPage(context.Background(), &b, v, base, PageOpts{ServerNow: fixtureNow}); err != nil {
			t.Fatal(err)
		}
		prev := tiles(t, v, base)
		one := Message(Diff(prev, tiles(t, v, withChats(base, 1188))), fixtureNow)
		skill := Message(Diff(prev, tiles(t, v, withWaiting(base, 4, 0))), fixtureNow)
		t.Logf("skills=%d agents=%d: full wall page %d bytes, one figure %d bytes, one skill's waiting %d bytes",
			c.skills, c.agents, b.Len(), len(one), len(skill))
	}
}

// TestOneAgentMessage: per-row diffs. One agent's load changing sends that cell
// alone, under 300 bytes with the clock; one agent changing state sends its row
// (moved when the sort moves it) and the counts, never the agents tile, under 1 KB.
func TestOneAgentMessage(t *testing.T) {
	t.Parallel()
	base := fixture(t, 50, 500)
	for _, aud := range []Audience{Wall, Manager} {
		t.Run(string(aud), func(t *testing.T) {
			t.Parallel()
			v := Variant{Board: DefaultBoard(), Audience: aud}
			prev := tiles(t, v, base)
			var largest, largestState int
			for i, a := range base.Agents {
				if _, shown := prev.Get(agentRowID(a.Key)); !shown {
					continue
				}
				load := Message(Diff(prev, tiles(t, v, withAgentOpen(base, i, a.Open.Or(0)%3+1))), fixtureNow)
				if len(load) > 300 {
					t.Errorf("%s's load: %d bytes, want ≤ 300: %s", a.Name, len(load), load)
				}
				st := snapshot.Away
				if a.State == st {
					st = snapshot.Busy
				}
				state := Message(Diff(prev, tiles(t, v, withAgentState(base, i, st))), fixtureNow)
				if len(state) >= 1024 || bytes.Contains(state, []byte(`id="`+idAgents+`"`)) {
					t.Errorf("%s's state: %d bytes, want < 1 KB and no whole tile", a.Name, len(state))
				}
				largest, largestState = max(largest, len(load)), max(largestState, len(state))
				if aud == Manager && i > 60 {
					break // the manager lists all 500: a sample is enough
				}
			}
			t.Logf("largest one-agent load message %d bytes, state %d bytes", largest, largestState)
		})
	}
}
