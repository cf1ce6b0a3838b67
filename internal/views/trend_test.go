package views

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// minutesOf builds n recorded minutes ending before the minute of at, each a copy
// of s's skills with skill 0's chat waiting set by waiting(i) (i = 0 oldest).
func minutesOf(s *snapshot.Snapshot, at time.Time, n int, waiting func(i int) int64) []history.SkillMinute {
	end := at.Truncate(time.Minute)
	out := make([]history.SkillMinute, 0, n)
	for i := range n {
		m := withWaiting(s, 0, waiting(i))
		out = append(out, history.SkillMinute{At: end.Add(time.Duration(i-n) * time.Minute), Skills: m.Skills})
	}
	return out
}

func trendTiles(tb testing.TB, v Variant, s *snapshot.Snapshot, tr *Trends) Tileset {
	tb.Helper()
	ts, err := RenderTilesWith(context.Background(), v, s, tr)
	if err != nil {
		tb.Fatalf("RenderTilesWith: %v", err)
	}
	return ts
}

func trendDoc(tb testing.TB, ts Tileset, id string) *goquery.Selection {
	tb.Helper()
	tl, ok := ts.Get(id)
	if !ok {
		tb.Fatalf("no element %s", id)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(tl.HTML)))
	if err != nil {
		tb.Fatal(err)
	}
	return doc.Selection
}

var pathPoint = regexp.MustCompile(`[ML](\d+) ([0-9.]+)`)

// The sparkline draws what history recorded: x is the minute, y the value on the
// scale its data-top names; the arrow appears when the 10-minute trend is
// significant, in words as well as a glyph.
func TestSparklineDrawsTheRecordedMinutes(t *testing.T) {
	t.Parallel()
	s := fixture(t, 6, 20)
	key := s.Skills[0].Key
	v := Variant{Board: DefaultBoard(), Audience: Manager}
	rising := func(i int) int64 { return int64(i / 6) } // 0 … 9 over the hour: +1.5 per 10 min… then steeper
	tr := NewTrends(fixtureNow, minutesOf(s, fixtureNow, 60, rising), false)
	sel := trendDoc(t, trendTiles(t, v, s, tr), trendID(SkillTileID(key)))
	svg := sel.Find(`.spk-waiting svg`)
	top, err := strconv.ParseFloat(svg.AttrOr("data-top", ""), 64)
	if err != nil || top != 9 {
		t.Fatalf("waiting data-top %q, want 9 (the hour's highest)", svg.AttrOr("data-top", ""))
	}
	pts := pathPoint.FindAllStringSubmatch(svg.Find("path").AttrOr("d", ""), -1)
	if len(pts) != 60 {
		t.Fatalf("%d points, want 60: %s", len(pts), svg.Find("path").AttrOr("d", ""))
	}
	for _, p := range pts {
		i, _ := strconv.Atoi(p[1])
		y, _ := strconv.ParseFloat(p[2], 64)
		if got, want := top*(sparkH-y)/sparkH, float64(rising(i)); got < want-0.01 || got > want+0.01 {
			t.Errorf("minute %d: drawn %.2f, recorded %.0f", i, got, want)
		}
	}
	// 0…9 in steps every 6 minutes: the last 10 minutes rise by under 2 → no arrow.
	if n := sel.Find(`.spk-waiting .tra`).Length(); n != 0 {
		t.Errorf("an arrow on a rise of under 2 in 10 minutes")
	}
	// A steep last ten minutes: +1 a minute.
	steep := func(i int) int64 { return int64(max(0, i-50)) }
	tr = NewTrends(fixtureNow, minutesOf(s, fixtureNow, 60, steep), false)
	sel = trendDoc(t, trendTiles(t, v, s, tr), trendID(SkillTileID(key)))
	arrow := sel.Find(`.spk-waiting .tra`)
	if arrow.AttrOr("data-trend", "") != "up" || !strings.Contains(arrow.Find(".vh").Text(), "Waiting rising, +10 in 10 min") {
		t.Errorf("steep rise: arrow %q %q", arrow.AttrOr("data-trend", ""), arrow.Text())
	}
	falling := func(i int) int64 { return int64(max(0, 60-i)) }
	tr = NewTrends(fixtureNow, minutesOf(s, fixtureNow, 60, falling), false)
	sel = trendDoc(t, trendTiles(t, v, s, tr), trendID(SkillTileID(key)))
	if got := sel.Find(`.spk-waiting .tra`).AttrOr("data-trend", ""); got != "down" {
		t.Errorf("falling: arrow %q, want down", got)
	}
	if title := sel.Find(`.spk-waiting title`).Text(); !strings.Contains(title, "highest 60") || !strings.Contains(title, "latest 1") {
		t.Errorf("text alternative %q", title)
	}
}

// A sparkline is its own swap target: a figure that changes travels without it,
// and a new minute re-sends the sparklines alone, never their tiles.
func TestSparklinesAreTheirOwnSwapTargets(t *testing.T) {
	t.Parallel()
	s := fixture(t, 6, 20)
	id := SkillTileID(s.Skills[0].Key)
	for _, v := range []Variant{{Board: DefaultBoard(), Audience: Manager}, wall()} {
		t.Run(string(v.Audience), func(t *testing.T) {
			tr := NewTrends(fixtureNow, minutesOf(s, fixtureNow, 30, func(i int) int64 { return int64(i % 4) }), false)
			prev := trendTiles(t, v, s, tr)
			if _, ok := prev.Get(trendID(idQueue)); !ok {
				t.Fatal("the queue strip has no trend")
			}
			figure := Diff(prev, trendTiles(t, v, withWaiting(s, 0, 42), tr))
			for _, tl := range figure {
				if strings.HasPrefix(tl.ID, "trend-") || tl.ID == id || tl.ID == idQueue {
					t.Errorf("a waiting change sent %s (all: %s)", tl.ID, ids(figure))
				}
			}
			if !strings.Contains(ids(figure), figID(id, "chat", "waiting")) {
				t.Errorf("a waiting change did not send the figure: %s", ids(figure))
			}
			later := NewTrends(fixtureNow, minutesOf(s, fixtureNow, 31, func(i int) int64 { return int64(i % 5) }), false)
			next := trendTiles(t, v, s, later)
			moved := Diff(prev, next)
			if len(moved) == 0 {
				t.Fatal("new minutes sent nothing")
			}
			for _, tl := range moved {
				// A trend whose arrow changed goes whole, else its charts alone.
				if !strings.HasPrefix(tl.ID, "trend-") && !strings.HasPrefix(next.parent[tl.ID], "trend-") {
					t.Errorf("new minutes sent %s, not only sparklines (all: %s)", tl.ID, ids(moved))
				}
			}
		})
	}
}

// A failing history store says so where the sparklines would be; live figures
// still render.
func TestTrendsUnavailableSaySo(t *testing.T) {
	t.Parallel()
	s := fixture(t, 6, 20)
	v := Variant{Board: DefaultBoard(), Audience: Manager}
	ts := trendTiles(t, v, s, NewTrends(fixtureNow, nil, true))
	for _, id := range []string{trendID(idQueue), trendID(SkillTileID(s.Skills[2].Key))} {
		sel := trendDoc(t, ts, id)
		if got := sel.Find(".trn").Text(); got != "History unavailable" {
			t.Errorf("%s: note %q", id, got)
		}
		if sel.Find("svg").Length() != 0 {
			t.Errorf("%s: a blank chart beside the note", id)
		}
	}
	// Embeds never carry sparklines; no trends (history off) means none anywhere.
	for _, ts := range []Tileset{trendTiles(t, Variant{Board: DefaultBoard(), Audience: Embed}, s, NewTrends(fixtureNow, nil, false)), trendTiles(t, v, s, nil)} {
		for _, tl := range ts.Tiles() {
			if strings.HasPrefix(tl.ID, "trend-") {
				t.Errorf("unexpected %s", tl.ID)
			}
		}
	}
}

// The drill-down's day chart draws the day's minutes, worst of each 5 minutes,
// with the board's bands, named and described for screen readers.
func TestDayChart(t *testing.T) {
	t.Parallel()
	s := fixture(t, 6, 20)
	key := s.Skills[0].Key
	v := Variant{Board: DefaultBoard(), Audience: Manager, Skill: key}
	from := time.Date(2026, 3, 10, 0, 0, 0, 0, time.Local)
	var mins []history.SkillMinute
	for i := range 600 { // 10 hours
		m := withWaiting(s, 0, int64(i%7))
		mins = append(mins, history.SkillMinute{At: from.Add(time.Duration(i) * time.Minute), Skills: m.Skills[:1]})
	}
	var buf strings.Builder
	dc := &DayChart{From: from, To: from.Add(10 * time.Hour), Minutes: mins}
	if err := RenderPage(context.Background(), &buf, v, s, PageOpts{ServerNow: fixtureNow, Day: dc}); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	chart := doc.Find(`[data-testid="day-chart"]`)
	for _, m := range []string{"waiting", "longest", "sl", "available"} {
		svg := chart.Find(`.dp-` + m + ` svg`)
		if svg.Find("title").Text() == "" || svg.Find("desc").Text() == "" {
			t.Errorf("%s: no title/desc", m)
		}
		if m != "available" && svg.Find("rect.band.warn").Length() != 1 || m != "available" && svg.Find("rect.band.crit").Length() != 1 {
			t.Errorf("%s: bands missing", m)
		}
	}
	w := chart.Find(`.dp-waiting svg`)
	pts := pathPoint.FindAllStringSubmatch(w.Find("path").AttrOr("d", ""), -1)
	if len(pts) != 120 { // 10 hours of 5-minute steps
		t.Fatalf("waiting: %d points, want 120", len(pts))
	}
	top, _ := strconv.ParseFloat(w.AttrOr("data-top", ""), 64)
	for _, p := range pts {
		i, _ := strconv.Atoi(p[1])
		y, _ := strconv.ParseFloat(p[2], 64)
		want := 0.0
		for k := i * 5; k < i*5+5; k++ {
			want = max(want, float64(k%7))
		}
		if got := top * (dayH - y) / dayH; got < want-0.01 || got > want+0.01 {
			t.Errorf("step %d: drawn %.2f, worst recorded %.0f", i, got, want)
		}
	}
	if d := w.Find("desc").Text(); !strings.Contains(d, "highest 6") || !strings.Contains(d, "warning from 3") {
		t.Errorf("desc %q", d)
	}

	buf.Reset()
	dc.Unavailable = true
	if err := RenderPage(context.Background(), &buf, v, s, PageOpts{ServerNow: fixtureNow, Day: dc}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "History unavailable") || strings.Contains(buf.String(), `class="dpanel`) {
		t.Error("an unavailable day chart does not say so")
	}
}

// BenchmarkRenderBoardTrends is BenchmarkRenderBoard with a full hour of
// sparklines on every skill tile and the queue strip: what the live loop renders
// per variant and snapshot once history is kept.
func BenchmarkRenderBoardTrends(b *testing.B) {
	for _, aud := range []Audience{Manager, Wall} {
		b.Run("skills=50,agents=500,"+string(aud), func(b *testing.B) {
			snap := fixture(b, 50, 500)
			tr := NewTrends(fixtureNow, minutesOf(snap, fixtureNow, SparkMinutes, func(i int) int64 { return int64(i % 7) }), false)
			v := Variant{Board: DefaultBoard(), Audience: aud}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RenderTilesWith(context.Background(), v, snap, tr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
