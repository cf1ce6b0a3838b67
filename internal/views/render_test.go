package views

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func doc(t *testing.T, html []byte) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return d
}

func page(t *testing.T, v Variant, snap *snapshot.Snapshot) *goquery.Document {
	t.Helper()
	var b bytes.Buffer
	if err := RenderPage(context.Background(), &b, v, snap, PageOpts{WSURL: "/ws?board=demo&view=wall", ServerNow: fixtureNow, User: "maria"}); err != nil {
		t.Fatalf("RenderPage: %v", err)
	}
	return doc(t, b.Bytes())
}

// wall is a 4K wall: big enough to show every skill of the 11-skill fixture.
func wall() Variant    { return Variant{Board: DefaultBoard(), Audience: Wall, Size: SizeUHD} }
func manager() Variant { return Variant{Board: DefaultBoard(), Audience: Manager} }

// oneSkill is a snapshot with one Comm100 skill whose queue is q.
func oneSkill(q snapshot.Queue) *snapshot.Snapshot {
	return snapshot.Merge(nil, []snapshot.Part{{Source: "comm100", Skills: []snapshot.Skill{
		{Key: "comm100:7", ID: "7", Source: "comm100", Name: "Sales", Queues: []snapshot.Queue{q}},
	}}}, []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
}

func TestUnknownRendersDash(t *testing.T) {
	t.Parallel()
	d := page(t, wall(), oneSkill(snapshot.Queue{Channel: snapshot.Chat}))
	for _, sel := range []string{"#tile-queue .fv", "#" + SkillTileID("comm100:7") + " .fv"} {
		vals := d.Find(sel)
		if vals.Length() == 0 {
			t.Fatalf("%s: no figures rendered", sel)
		}
		vals.Each(func(_ int, s *goquery.Selection) {
			if got := s.Text(); got != "—" {
				t.Errorf("%s: got %q, want — for an unknown figure", sel, got)
			}
		})
		if n := d.Find(sel).Parent().Filter("[class*=lvl-]").Length(); n != 0 {
			t.Errorf("%s: %d unknown figures graded, want none", sel, n)
		}
	}
}

func TestThresholdLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		q         snapshot.Queue
		label     string // figure label in the queue tile
		wantClass string
		wantWord  string
	}{
		{"waiting ok", snapshot.Queue{Waiting: snapshot.Some[int64](2)}, "Waiting", "lvl-ok", ""},
		{"waiting warn", snapshot.Queue{Waiting: snapshot.Some[int64](3)}, "Waiting", "lvl-warn", "WARN"},
		{"waiting crit", snapshot.Queue{Waiting: snapshot.Some[int64](6)}, "Waiting", "lvl-crit", "CRIT"},
		{"longest warn", snapshot.Queue{LongestWait: snapshot.Some(90 * time.Second)}, "Longest wait", "lvl-warn", "WARN"},
		{"sl ok", snapshot.Queue{ServiceLevel: snapshot.Some(0.85)}, "Service level", "lvl-ok", ""},
		{"sl warn", snapshot.Queue{ServiceLevel: snapshot.Some(0.7)}, "Service level", "lvl-warn", "WARN"},
		{"sl crit", snapshot.Queue{ServiceLevel: snapshot.Some(0.5)}, "Service level", "lvl-crit", "CRIT"},
		{"abandon crit", snapshot.Queue{AbandonRate: snapshot.Some(0.2)}, "Abandon rate", "lvl-crit", "CRIT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := page(t, wall(), oneSkill(tc.q))
			fig := d.Find("#tile-queue .fig").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Find(".fl").Text() == tc.label
			}).First()
			if fig.Length() == 0 {
				t.Fatalf("no %q figure", tc.label)
			}
			if !fig.HasClass(tc.wantClass) {
				cls, _ := fig.Attr("class")
				t.Errorf("class: got %q, want %q", cls, tc.wantClass)
			}
			if got := fig.Find(".fw").Text(); !strings.Contains(got, tc.wantWord) || (tc.wantWord == "" && got != "") {
				t.Errorf("word: got %q, want %q", got, tc.wantWord)
			}
		})
	}
}

var validID = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

func TestIDsStableAndUnique(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	a, err := RenderTiles(context.Background(), wall(), snap)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RenderTiles(context.Background(), wall(), snap)
	if len(Diff(a, b)) != 0 {
		t.Errorf("two renders of one snapshot differ")
	}
	d := page(t, manager(), snap)
	seen := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if seen[id] {
			t.Errorf("id %q used twice", id)
		}
		seen[id] = true
		if !validID.MatchString(id) {
			t.Errorf("id %q is not a plain identifier", id)
		}
	})
	if a.Tiles()[len(a.Tiles())-1].ID == "" {
		t.Fatal("empty tile id")
	}
	if n := page(t, wall(), snap).Find("#" + idSkillsMore).Length(); n != 1 {
		t.Errorf("wall: %d %s elements, want 1 (empty while every skill fits)", n, idSkillsMore)
	}
	for _, tl := range a.Tiles() {
		if tl.ID == idSkillsMore || tl.ID == idAgentsMore {
			continue // the wall's notes: not on the manager page
		}
		sel := d.Find("#" + tl.ID)
		if sel.Length() != 1 {
			t.Errorf("tile %q: %d elements in the page, want 1", tl.ID, sel.Length())
		}
		inner := strings.HasPrefix(tl.ID, "fig-") || strings.HasPrefix(tl.ID, agentRowPrefix) || tl.ID == idAgentRows || isValue(a, tl.ID)
		if _, ok := sel.Attr("data-testid"); !ok && !inner {
			t.Errorf("tile %q has no data-testid", tl.ID)
		}
	}
	// Tiles: queue, skills grid, 11 skills, the wall's "+N more" note, agents
	// with its list body and "+N more" note, today with its 2 groups, freshness.
	// Figures: 7 in the summary; per skill 5 per channel (13 channels: two
	// LivePerson skills serve chat and messaging) and 3 agent counts; 5 state
	// counts; 6+8 account figures; 2 source rows. Rows: what fits the wall, each
	// with two figures. Values: each figure, count and source row of a tile has
	// its value inside it.
	const wantTiles, tileFigs = 4 + 1 + 11 + 1 + 2 + 2, 7 + (5*13 + 3*11) + 5 + 14 + 2
	wantRows := wall().layout().agentRows - 1
	wantFigs := tileFigs + 2*wantRows // each row's load and handled-today cells
	var figs, rows, values int
	for _, tl := range a.Tiles() {
		switch {
		case isValue(a, tl.ID):
			values++
		case strings.HasPrefix(tl.ID, "fig-"):
			figs++
		case strings.HasSuffix(tl.ID, "_l") || strings.HasSuffix(tl.ID, "_t"):
			figs++
		case strings.HasPrefix(tl.ID, agentRowPrefix):
			rows++
		}
	}
	if got := len(a.Tiles()) - figs - rows - values; got != wantTiles || figs != wantFigs || rows != wantRows || values != tileFigs {
		t.Errorf("got %d tiles, %d figures, %d rows and %d values, want %d, %d, %d and %d", got, figs, rows, values, wantTiles, wantFigs, wantRows, tileFigs)
	}
}

func TestSkillTileID(t *testing.T) {
	t.Parallel()
	tests := []struct{ key, want string }{
		{"comm100:7", "tile-skill-comm100_3a7"},
		{"lp-main:Sales Team", "tile-skill-lp-main_3a_53ales_20_54eam"},
		{"a_b", "tile-skill-a_5fb"},
		{`x"><script>`, "tile-skill-x_22_3e_3cscript_3e"},
	}
	for _, tc := range tests {
		if got := SkillTileID(tc.key); got != tc.want {
			t.Errorf("SkillTileID(%q): got %q, want %q", tc.key, got, tc.want)
		}
	}
	if SkillTileID("a:b") == SkillTileID("a_3ab") {
		t.Error("escaped ids collide")
	}
}

func TestStaleBadgeWhenSourceFailing(t *testing.T) {
	t.Parallel()
	d := page(t, wall(), failing(fixture(t, 11, 70), "comm100"))
	c100 := d.Find(`.t-skill[data-sources="comm100"]`)
	lp := d.Find(`.t-skill[data-sources="lp-main"]`)
	if c100.Length() == 0 || lp.Length() == 0 {
		t.Fatalf("fixture has %d comm100 and %d lp skill tiles", c100.Length(), lp.Length())
	}
	c100.Each(func(_ int, s *goquery.Selection) {
		if !s.HasClass("stale") || s.Find(".sb").Text() != "STALE" {
			t.Errorf("comm100 tile %s: want class stale and a STALE badge", s.AttrOr("id", ""))
		}
		if s.Find(".fv").First().Text() == "—" {
			t.Errorf("comm100 tile %s: last good figures must stay", s.AttrOr("id", ""))
		}
	})
	lp.Each(func(_ int, s *goquery.Selection) {
		if s.HasClass("stale") {
			t.Errorf("lp tile %s marked stale", s.AttrOr("id", ""))
		}
	})
	if !d.Find("#tile-queue").HasClass("stale") {
		t.Error("queue summary over a failing source is not stale")
	}
	src := d.Find(`#tile-freshness [data-source="comm100"]`)
	if got := src.Text(); !strings.Contains(got, "stale since") || !strings.Contains(got, "503 from realTime/Queue") {
		t.Errorf("freshness: got %q, want stale since … 503 from realTime/Queue", got)
	}
	if got, _ := src.Attr("data-stale-after"); got != "45000" {
		t.Errorf("data-stale-after: got %q, want 45000", got)
	}
}

func TestScopeHidesOtherSkills(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	keep := snap.Skills[3].Key
	v := manager()
	v.Scope = snapshot.Scope{Skills: []string{keep}}
	d := page(t, v, snap)
	tiles := d.Find(".t-skill")
	if tiles.Length() != 1 || tiles.AttrOr("id", "") != SkillTileID(keep) {
		t.Errorf("skill tiles: got %d (first %q), want only %q", tiles.Length(), tiles.AttrOr("id", ""), SkillTileID(keep))
	}
	for _, sk := range snap.Skills {
		if sk.Key != keep && strings.Contains(d.Text(), sk.Name) && sk.Name != snap.Skills[3].Name {
			t.Errorf("other skill %q visible", sk.Name)
		}
	}
	if got := d.Find("#tile-today .acct").Length(); got != 0 {
		t.Errorf("account figures in a limited view: got %d blocks, want 0", got)
	}
	want := len(snap.AgentsOf(keep))
	if got := d.Find("#tile-agents tbody tr").Length(); got != want {
		t.Errorf("agents: got %d rows, want %d (those serving %s)", got, want, keep)
	}
}

func TestNilSnapshot(t *testing.T) {
	t.Parallel()
	for _, aud := range []Audience{Wall, Manager, Embed} {
		t.Run(string(aud), func(t *testing.T) {
			t.Parallel()
			d := page(t, Variant{Board: DefaultBoard(), Audience: aud}, nil)
			if !strings.Contains(d.Text(), "Waiting for first data") {
				t.Error("no 'waiting for first data' text")
			}
			if d.Find("#tile-skills").Length() != 1 {
				t.Error("skills grid missing: data arriving later would have nowhere to go")
			}
		})
	}
	v := manager()
	v.Skill = "comm100:1"
	if _, err := RenderTiles(context.Background(), v, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("drill-down without data: got %v, want ErrNotFound", err)
	}
}

func TestAgentsList(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	t.Run("wall caps and hides offline", func(t *testing.T) {
		d := page(t, wall(), snap)
		rows := d.Find("#tile-agents tbody tr")
		wallAgentRows := wall().layout().agentRows
		if rows.Length() != wallAgentRows-1 {
			t.Errorf("rows: got %d, want %d", rows.Length(), wallAgentRows-1)
		}
		online := len(snap.Agents) - snap.Counts().Offline
		if got, want := d.Find("#tile-agents .more").Text(), "+"+itoa(online-(wallAgentRows-1))+" more"; got != want {
			t.Errorf("more: got %q, want %q", got, want)
		}
		if d.Find("#tile-agents tr.st-offline").Length() != 0 {
			t.Error("offline agents listed on the wall")
		}
	})
	t.Run("manager sorted by state then time", func(t *testing.T) {
		d := page(t, manager(), snap)
		rows := d.Find("#tile-agents tbody tr")
		if rows.Length() != len(snap.Agents) {
			t.Fatalf("rows: got %d, want %d", rows.Length(), len(snap.Agents))
		}
		prevRank, prevSince := -1, int64(0)
		rows.Each(func(i int, s *goquery.Selection) {
			st := strings.TrimPrefix(s.AttrOr("class", ""), "st-")
			rank := stateRank(snapshot.AgentState(st))
			since := s.Find("[data-since]").AttrOr("data-since", "0")
			n := mustInt(t, since)
			if rank < prevRank || rank == prevRank && n < prevSince {
				t.Errorf("row %d (%s since %d) out of order after rank %d since %d", i, st, n, prevRank, prevSince)
			}
			prevRank, prevSince = rank, n
		})
		if got := d.Find(`#tile-agents .sorts a.on`).Text(); got != "State" {
			t.Errorf("active sort: got %q, want State", got)
		}
	})
	t.Run("drill-down lists that skill's agents", func(t *testing.T) {
		v := manager()
		v.Skill = snap.Skills[0].Key
		d := page(t, v, snap)
		if got, want := d.Find("#tile-agents tbody tr").Length(), len(snap.AgentsOf(v.Skill)); got != want {
			t.Errorf("rows: got %d, want %d", got, want)
		}
	})
	t.Run("unknown drill-down skill", func(t *testing.T) {
		v := manager()
		v.Skill = "nope:1"
		if _, err := RenderTiles(context.Background(), v, snap); !errors.Is(err, ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// TestPageIsCSPStrict: the page loads only external scripts and styles, so a later
// strict Content-Security-Policy needs no 'unsafe-inline'.
func TestPageIsCSPStrict(t *testing.T) {
	t.Parallel()
	for _, aud := range []Audience{Wall, Manager, Embed} {
		d := page(t, Variant{Board: DefaultBoard(), Audience: aud}, failing(fixture(t, 11, 70), "lp-main"))
		var srcs []string
		d.Find("script").Each(func(_ int, s *goquery.Selection) {
			src, ok := s.Attr("src")
			if !ok || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline script", aud)
			}
			srcs = append(srcs, src)
		})
		if got := strings.Join(srcs, " "); got != "/static/vendor/htmx.min.js /static/vendor/ws.js /static/app.js /static/alerts.js /static/notices.js" {
			t.Errorf("%s: scripts %q", aud, got)
		}
		if n := d.Find("[style], style").Length(); n != 0 {
			t.Errorf("%s: %d inline styles", aud, n)
		}
		if d.Find(`link[rel=stylesheet][href="/static/app.css"]`).Length() != 1 {
			t.Errorf("%s: app.css not linked", aud)
		}
		if d.Find(`[hx-ext="ws"][ws-connect="/ws?board=demo&view=wall"]`).Length() != 1 {
			t.Errorf("%s: no ws-connect element", aud)
		}
	}
}

func TestEmbedSingleTile(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	v := Variant{Board: DefaultBoard(), Audience: Embed}
	var b bytes.Buffer
	if err := RenderPage(context.Background(), &b, v, snap, PageOpts{Tile: "queue"}); err != nil {
		t.Fatal(err)
	}
	d := doc(t, b.Bytes())
	if d.Find(".tile").Length() != 1 || d.Find("#tile-queue").Length() != 1 {
		t.Errorf("embed tile=queue: got %d tiles", d.Find(".tile").Length())
	}
	if err := RenderPage(context.Background(), &b, v, snap, PageOpts{Tile: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown tile: got %v, want ErrNotFound", err)
	}
}

func TestErrorPages(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := RenderError(context.Background(), &b, 400, `unknown sort "x"`); err != nil {
		t.Fatal(err)
	}
	d := doc(t, b.Bytes())
	if got := d.Find("[data-testid=error] h1").Text(); got != "Bad request" {
		t.Errorf("heading: got %q", got)
	}
	if !strings.Contains(d.Text(), `unknown sort "x"`) {
		t.Error("reason not shown")
	}
	b.Reset()
	if err := RenderNotFound(context.Background(), &b, "No board named lobby"); err != nil || !strings.Contains(b.String(), "404") {
		t.Errorf("404 page: err %v", err)
	}
}

// TestSkillSourceTag: with two sources a skill tile names its source (two vendors can
// both have "Sales"); with one source the tag would only add noise.
func TestSkillSourceTag(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 4, 10)
	v := Variant{Board: DefaultBoard(), Audience: Wall}
	for _, tt := range []struct {
		name    string
		sources int
		want    int
	}{{"two sources", 2, 4}, {"one source", 1, 0}} {
		t.Run(tt.name, func(t *testing.T) {
			s := *snap
			s.Sources = snap.Sources[:tt.sources]
			ts, err := RenderTiles(context.Background(), v, &s)
			if err != nil {
				t.Fatal(err)
			}
			var b []byte
			for _, tile := range ts.Full() {
				b = append(b, tile.HTML...)
			}
			if got := doc(t, b).Find(`[data-testid="skill-source"]`).Length(); got != tt.want {
				t.Errorf("got %d source tags, want %d", got, tt.want)
			}
		})
	}
}

// TestFreshnessShowsRetryWait: a source told to wait (Retry-After, capped at the
// maximum back-off) says on the freshness tile when it is tried next; a short
// back-off says nothing extra.
func TestFreshnessShowsRetryWait(t *testing.T) {
	t.Parallel()
	snap := failing(fixture(t, 11, 70), "comm100")
	for i := range snap.Sources {
		if snap.Sources[i].ID == "comm100" {
			snap.Sources[i].LastAttempt = fixtureNow
			snap.Sources[i].NextPoll = fixtureNow.Add(5 * time.Minute)
		}
		if snap.Sources[i].ID == "lp-main" {
			snap.Sources[i].ConsecutiveFailures = 1
			snap.Sources[i].LastError = &snapshot.SourceError{Kind: snapshot.ErrServer, Text: "503 from x", At: fixtureNow}
			snap.Sources[i].LastAttempt = fixtureNow
			snap.Sources[i].NextPoll = fixtureNow.Add(10 * time.Second)
		}
	}
	d := page(t, wall(), snap)
	want := "next try " + fixtureNow.Add(5*time.Minute).Local().Format("15:04")
	if got := d.Find(`#tile-freshness [data-source="comm100"]`).Text(); !strings.Contains(got, want) {
		t.Errorf("freshness for a 5 min wait: got %q, want it to contain %q", got, want)
	}
	if got := d.Find(`#tile-freshness [data-source="lp-main"]`).Text(); strings.Contains(got, "next try") {
		t.Errorf("freshness for a 10 s back-off: got %q, want no next-try time", got)
	}
}
