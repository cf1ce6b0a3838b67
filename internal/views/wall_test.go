package views

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// calm is a queue no threshold flags; busy(n) one whose waiting count is n.
func calm() snapshot.Queue {
	return snapshot.Queue{Channel: snapshot.Chat, Waiting: snapshot.Some(int64(0)), LongestWait: snapshot.Some(time.Duration(0)),
		AvgWait30m: snapshot.Some(5 * time.Second), ServiceLevel: snapshot.Some(0.95), Abandoned30m: snapshot.Some(int64(0))}
}

func waiting(n int64) snapshot.Queue { q := calm(); q.Waiting = snapshot.Some(n); return q }

// skillsSnap is one source's skills, named and queued as given.
func skillsSnap(named map[string]snapshot.Queue) *snapshot.Snapshot {
	var p snapshot.Part
	p.Source = "comm100"
	for name, q := range named {
		id := strings.ToLower(strings.ReplaceAll(name, " ", ""))
		p.Skills = append(p.Skills, snapshot.Skill{Key: snapshot.Key("comm100", id), ID: id, Source: "comm100", Name: name, Queues: []snapshot.Queue{q}})
	}
	return snapshot.Merge(nil, []snapshot.Part{p}, []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
}

func tileNames(d *goquery.Document) []string {
	var out []string
	d.Find(".t-skill h3").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

// TestSkillOrder: a tile takes the level of its worst figure; walls put the worst
// first (CSS order over a page in name order, so a level change re-sends no grid),
// and order: name / config keep their order.
func TestSkillOrder(t *testing.T) {
	t.Parallel()
	sl := calm()
	sl.ServiceLevel = snapshot.Some(0.5) // critical service level, nobody waiting
	snap := skillsSnap(map[string]snapshot.Queue{"Billing": calm(), "Sales": waiting(4), "Returns": sl, "Apps": calm()})

	levels := map[string]templates.Level{}
	d := &data{v: wall(), t: Thresholds{}.withDefaults()}
	for _, sk := range snap.Skills {
		levels[sk.Name] = tileLevel(d.skillTile(sk))
	}
	if want := map[string]templates.Level{"Billing": "ok", "Sales": "warn", "Returns": "crit", "Apps": "ok"}; !mapsEqual(levels, want) {
		t.Errorf("tile levels = %v, want %v (the worst figure's, service level included)", levels, want)
	}

	for _, tc := range []struct {
		order     string
		config    []string
		page      []string // DOM order
		severity  bool     // the grid lets CSS put the worst first
		wallOrder []string // what a person sees
	}{
		{order: "", page: []string{"Apps", "Billing", "Returns", "Sales"}, severity: true, wallOrder: []string{"Returns", "Sales", "Apps", "Billing"}},
		{order: OrderName, page: []string{"Apps", "Billing", "Returns", "Sales"}},
		{order: OrderConfig, config: []string{"Sales", "billing", "Returns", "Apps"}, page: []string{"Sales", "Billing", "Returns", "Apps"}},
	} {
		v := wall()
		v.Board.Order, v.Board.Skills = tc.order, tc.config
		page := page(t, v, snap)
		if got := tileNames(page); !slices.Equal(got, tc.page) {
			t.Errorf("order %q: page order %v, want %v", tc.order, got, tc.page)
		}
		if got := page.Find("#tile-skills").HasClass("by-severity"); got != tc.severity {
			t.Errorf("order %q: by-severity class %v, want %v", tc.order, got, tc.severity)
		}
		if tc.wallOrder != nil {
			entries := make([]skillEntry, 0, 4)
			for _, name := range tc.page {
				entries = append(entries, skillEntry{props: templates.SkillTileProps{Name: name}, level: levels[name]})
			}
			var got []string
			for _, i := range bySeverity(entries) {
				got = append(got, entries[i].props.Name)
			}
			if !slices.Equal(got, tc.wallOrder) {
				t.Errorf("severity order %v, want %v (worst first, then by name)", got, tc.wallOrder)
			}
		}
	}
	if err := (Board{ID: "x", Title: "X", Order: "random"}).Validate(); err == nil {
		t.Error("order random: no error")
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestWallShowsWorstSkills: when not every skill fits, the wall shows the worst and
// says how many are left off and whether any of those is in breach.
func TestWallShowsWorstSkills(t *testing.T) {
	t.Parallel()
	named := map[string]snapshot.Queue{}
	for _, n := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N"} {
		named["Skill "+n] = calm()
	}
	named["Skill Z"] = waiting(9) // last by name, first by severity
	v := wall()
	v.Size = SizeSD // 2 × 3 cells
	d := page(t, v, skillsSnap(named))
	names := tileNames(d)
	if len(names) != 5 || !slices.Contains(names, "Skill Z") {
		t.Errorf("shown %v, want 5 tiles with the critical Skill Z among them", names)
	}
	if got, want := d.Find(`[data-testid="skills-more"]`).Text(), "+10 more skills, all OK"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	named["Skill A"] = waiting(3)
	named["Skill B"], named["Skill C"], named["Skill D"], named["Skill E"], named["Skill F"] = waiting(9), waiting(9), waiting(9), waiting(9), waiting(9)
	d = page(t, v, skillsSnap(named))
	if got, want := d.Find(`[data-testid="skills-more"]`).Text(), "+10 more skills: 1 ◆ CRIT, 1 ▲ WARN"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	// A hidden skill turning critical brings it on the wall: a change of the set.
	calmSnap := skillsSnap(map[string]snapshot.Queue{"A": calm(), "B": calm(), "C": calm(), "D": calm(), "E": calm(), "F": calm(), "G": calm()})
	hot := skillsSnap(map[string]snapshot.Queue{"A": calm(), "B": calm(), "C": calm(), "D": calm(), "E": calm(), "F": calm(), "G": waiting(9)})
	before, after := tiles(t, v, calmSnap), tiles(t, v, hot)
	if _, ok := before.Get(SkillTileID("comm100:g")); ok {
		t.Fatal("calm G shown before it turned critical; want it left off (last by name)")
	}
	if _, ok := after.Get(SkillTileID("comm100:g")); !ok {
		t.Error("critical G not shown")
	}
}

func TestPlaceTiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tall       []bool
		cols, rows int
		want       []int
		more       bool
	}{
		{tall: []bool{false, false, false}, cols: 2, rows: 2, want: []int{0, 1, 2}},
		// The last cell keeps the note: the second tall tile no longer fits, the single does.
		{tall: []bool{true, true, false}, cols: 2, rows: 2, want: []int{0, 2}, more: true},
		{tall: []bool{false, true, false}, cols: 2, rows: 2, want: []int{0, 1, 2}},
		{tall: []bool{false, true, false, false}, cols: 2, rows: 2, want: []int{0, 2, 3}, more: true},
		{tall: []bool{false, false, false, false, false}, cols: 2, rows: 2, want: []int{0, 1, 2}, more: true},
	} {
		got, more := placeTiles(tc.tall, tc.cols, tc.rows)
		if !slices.Equal(got, tc.want) || more != tc.more {
			t.Errorf("placeTiles(%v, %d, %d) = %v, %v; want %v, %v", tc.tall, tc.cols, tc.rows, got, more, tc.want, tc.more)
		}
	}
}

// agentsSnap is one source's agents: name, state and minutes in state at fixtureNow.
func agentsSnap(as ...snapshot.Agent) *snapshot.Snapshot {
	p := snapshot.Part{Source: "comm100", Agents: as}
	for i := range p.Agents {
		p.Agents[i].Key, p.Agents[i].ID, p.Agents[i].Source = snapshot.Key("comm100", p.Agents[i].Name), p.Agents[i].Name, "comm100"
	}
	return snapshot.Merge(nil, []snapshot.Part{p}, []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
}

func agent(name string, st snapshot.AgentState, minutes int) snapshot.Agent {
	return snapshot.Agent{Name: name, State: st, Since: fixtureNow.Add(-time.Duration(minutes) * time.Minute)}
}

// TestWallAgentsExceptionsFirst: agents past their state's threshold first (crit
// before warn), each flagged with glyph + word; then away and back soon longest
// first, then busy, then available. Thresholds are per state and per board.
func TestWallAgentsExceptionsFirst(t *testing.T) {
	t.Parallel()
	snap := agentsSnap(
		agent("Ava", snapshot.Available, 90),
		agent("Ben", snapshot.Busy, 25),
		agent("Cleo", snapshot.Away, 9),
		agent("Dan", snapshot.Away, 12),     // warn: away > 10m
		agent("Eve", snapshot.BackSoon, 11), // crit: back soon > 2 × 5m
		agent("Finn", snapshot.BackSoon, 2),
		agent("Gus", snapshot.Busy, 5),
		agent("Hal", snapshot.Offline, 300),
	)
	rows := func(v Variant) (names, words []string) {
		page(t, v, snap).Find("#tile-agents tbody tr").Each(func(_ int, s *goquery.Selection) {
			names = append(names, s.Find(".an").Text())
			words = append(words, s.Find(".as .fw").Text())
		})
		return
	}
	names, words := rows(wall())
	if want := []string{"Eve", "Dan", "Cleo", "Finn", "Ben", "Gus", "Ava"}; !slices.Equal(names, want) {
		t.Errorf("wall order %v, want %v", names, want)
	}
	if want := []string{"◆ CRIT", "▲ WARN", "", "", "", "", ""}; !slices.Equal(words, want) {
		t.Errorf("words %q, want %q", words, want)
	}

	v := wall()
	v.Board.AgentThresholds = AgentThresholds{Away: -1, BackSoon: time.Hour, Busy: 20 * time.Minute}
	names, words = rows(v)
	if want := []string{"Ben", "Dan", "Eve", "Cleo", "Finn", "Gus", "Ava"}; !slices.Equal(names, want) {
		t.Errorf("with busy 20m, away off, back soon 1h: order %v, want %v", names, want)
	}
	if words[0] != "▲ WARN" || words[1] != "" {
		t.Errorf("words %q, want ▲ WARN for Ben only", words)
	}
	tr := page(t, v, snap).Find("#tile-agents tbody tr").First()
	if w, c := tr.AttrOr("data-warn-at", ""), tr.AttrOr("data-crit-at", ""); w != msString(fixtureNow.Add(-5*time.Minute)) || c != msString(fixtureNow.Add(15*time.Minute)) {
		t.Errorf("Ben's data-warn-at %s / data-crit-at %s, want 20m and 40m after he went busy", w, c)
	}
	if err := (AgentThresholds{Away: time.Millisecond}).Validate(); err == nil {
		t.Error("a 1ms threshold: no error")
	}
}

// TestAgentThresholdCrossedByTime: the snapshot's time is the list's "now", so a
// later snapshot with the same agents moves one past its threshold to the top.
func TestAgentThresholdCrossedByTime(t *testing.T) {
	t.Parallel()
	snap := agentsSnap(agent("Ava", snapshot.Available, 1), agent("Bo", snapshot.Away, 9))
	later := *snap
	later.TakenAt = snap.TakenAt.Add(2 * time.Minute)
	got := Diff(tiles(t, wall(), snap), tiles(t, wall(), &later))
	bo := agentRowID(snapshot.Key("comm100", "Bo"))
	if ids(got) != bo || !bytes.Contains(got[0].HTML, []byte("lvl-warn")) {
		t.Errorf("diff %q, want Bo's row alone, now warn (past away 10m)", ids(got))
	}
}

// TestPerSourceDimming: with one source failing, only what comes from it is dimmed;
// a tile mixing sources says which one is stale, and the other's figures stay.
func TestPerSourceDimming(t *testing.T) {
	t.Parallel()
	d := page(t, wall(), failing(fixture(t, 11, 70), "lp-main"))
	d.Find(".t-skill").Each(func(_ int, s *goquery.Selection) {
		lp := s.AttrOr("data-sources", "") == "lp-main"
		if s.HasClass("dim") != lp || s.HasClass("stale") != lp {
			t.Errorf("skill tile %s (source %s): dim %v, stale %v; want both %v", s.AttrOr("id", ""), s.AttrOr("data-sources", ""), s.HasClass("dim"), s.HasClass("stale"), lp)
		}
	})
	for _, id := range []string{idQueue, idAgents} {
		tile := d.Find("#" + id)
		if !tile.HasClass("stale") || tile.HasClass("dim") {
			t.Errorf("%s mixes sources: stale %v dim %v, want stale and not dimmed", id, tile.HasClass("stale"), tile.HasClass("dim"))
		}
		if got := tile.Find(".sbn").First().Text(); got != "lp-main" {
			t.Errorf("%s badge names %q, want lp-main", id, got)
		}
	}
	d.Find("#tile-agents tbody tr").Each(func(_ int, s *goquery.Selection) {
		if lp := s.AttrOr("data-src", "") == "lp-main"; s.HasClass("dim") != lp {
			t.Errorf("agent row of %s: dim %v, want %v", s.AttrOr("data-src", ""), s.HasClass("dim"), lp)
		}
	})
	if d.Find("#tile-today").HasClass("dim") || d.Find(`#tile-today .grp.stale`).Length() != 0 {
		t.Error("comm100's account figures dimmed while only lp-main fails")
	}
	both := page(t, wall(), failing(failing(fixture(t, 11, 70), "lp-main"), "comm100"))
	if !both.Find("#" + idQueue).HasClass("dim") {
		t.Error("queue tile not dimmed with every source failing")
	}
}

func TestNumbersAtAGlance(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	snap.Accounts[0].RightNow.Utilization = snapshot.Some(1.12)
	d := page(t, wall(), snap)
	util := d.Find("#" + figID(idToday+"-comm100-now", "util"))
	if v, title := util.Find(".fv").Text(), util.AttrOr("title", ""); v != "100%" || title != "true value 112%" {
		t.Errorf("utilisation %q (title %q), want 100%% with the true value 112%% in the title", v, title)
	}
	if got := d.Find("#" + figID(idToday+"-comm100-day", "score") + " .fv").Text(); got != "4.6 / 5" {
		t.Errorf("score %q, want 4.6 / 5", got)
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]Size{"": "", "size=uhd": SizeUHD, "size=portrait": SizePortrait} {
		got, err := ParseSize(mustQuery(t, q))
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %q, %v; want %q", q, got, err, want)
		}
	}
	for _, q := range []string{"size=8k", "size=hd&size=sd"} {
		if _, err := ParseSize(mustQuery(t, q)); err == nil {
			t.Errorf("ParseSize(%q): no error", q)
		}
	}
	a, b := wall(), wall()
	b.Size = SizePortrait
	if a.Key() == b.Key() {
		t.Error("4K and portrait walls share a variant key")
	}
	m1, m2 := manager(), manager()
	m2.Size = SizePortrait
	if m1.Key() != m2.Key() {
		t.Error("a size splits manager variants; it is for walls only")
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
