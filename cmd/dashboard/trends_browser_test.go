package main

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// trendMinutes is how much history the sparkline test records before the server
// starts: half an hour, one snapshot a minute.
const trendMinutes = 30

// recordedTrend is the history the test wrote: each skill's waiting per minute (all
// channels together, as the tiles chart them), and the board's sum.
type recordedTrend struct {
	waiting map[int64]map[string]int64 // minute (Unix ms) → skill key → waiting
	queue   map[int64]int64            // minute → the queue strip's waiting
	last    time.Time                  // the last recorded snapshot
}

// trendWaiting is what skill i waits in minute m (0 = oldest): the first skill
// rises by 2 a minute over the last ten minutes (a significant trend), the second
// stays at 3 (none), the rest cycle.
func trendWaiting(i, m int) int64 {
	switch i {
	case 0:
		return int64(max(1, 2*(m-19)))
	case 1:
		return 3
	}
	return int64((m + i) % 5)
}

// prefillTrend records trendMinutes of the live floor's skills into dataDir's
// history, ending a minute ago, with waiting set by trendWaiting.
func prefillTrend(t *testing.T, dataDir string, live *snapshot.Snapshot) recordedTrend {
	t.Helper()
	st, err := bolt.OpenHistory(filepath.Join(dataDir, bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := history.New(st, history.Config{})
	rec := recordedTrend{waiting: map[int64]map[string]int64{}, queue: map[int64]int64{}}
	start := time.Now().Truncate(time.Minute).Add(-trendMinutes * time.Minute)
	for m := range trendMinutes {
		s := *live
		s.Version = uint64(m + 1)
		s.TakenAt = start.Add(time.Duration(m)*time.Minute + 30*time.Second).UTC()
		s.Skills = make([]snapshot.Skill, len(live.Skills))
		minute := start.Add(time.Duration(m) * time.Minute).UnixMilli()
		rec.waiting[minute] = map[string]int64{}
		for i, sk := range live.Skills {
			sk.Queues = append([]snapshot.Queue(nil), sk.Queues...)
			for j := range sk.Queues {
				sk.Queues[j].Waiting = snapshot.Some[int64](0)
			}
			sk.Queues[0].Waiting = snapshot.Some(trendWaiting(i, m))
			s.Skills[i] = sk
			rec.waiting[minute][sk.Key] = trendWaiting(i, m)
			rec.queue[minute] += trendWaiting(i, m)
		}
		h.RecordNow(context.Background(), &s)
		rec.last = s.TakenAt
	}
	if h.Stats().Recorded != trendMinutes {
		t.Fatalf("prefill recorded %+v", h.Stats())
	}
	return rec
}

// sparkJS reads every trend element's waiting sparkline's end, scale and path,
// by trend id.
const sparkJS = `JSON.stringify(Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="trend"]')).map(e => {
	const svg = e.querySelector('.spk-waiting svg'), path = svg && svg.querySelector('path'), arrow = e.querySelector('.spk-waiting .tra');
	return [e.id, {end: svg ? svg.dataset.end || '' : '', top: svg ? svg.dataset.top : '', d: path ? path.getAttribute('d') : '',
		trend: arrow ? arrow.dataset.trend : '', words: arrow ? arrow.textContent : ''}];
})))`

type sparkSeen struct {
	End, Top, D, Trend, Words string
}

var sparkPoint = regexp.MustCompile(`[ML](\d+) ([0-9.]+)`)

// checkSpark compares a waiting sparkline with what was recorded: every drawn
// point of a recorded minute must be that minute's value on the sparkline's scale,
// and at least min of them must be drawn.
func checkSpark(t *testing.T, what string, s sparkSeen, want func(minute int64) (int64, bool), min int) {
	t.Helper()
	end, err1 := strconv.ParseInt(s.End, 10, 64)
	top, err2 := strconv.ParseFloat(s.Top, 64)
	if err1 != nil || err2 != nil {
		t.Errorf("%s: no sparkline (end %q, top %q)", what, s.End, s.Top)
		return
	}
	matched := 0
	for _, p := range sparkPoint.FindAllStringSubmatch(s.D, -1) {
		x, _ := strconv.Atoi(p[1])
		y, _ := strconv.ParseFloat(p[2], 64)
		minute := end - int64(views.SparkMinutes-x)*time.Minute.Milliseconds()
		w, ok := want(minute)
		if !ok {
			continue // a minute the running server recorded itself
		}
		// y has two decimals: half a unit of the last one, on the scale.
		if got, tol := top*(20-y)/20, top*0.006/20; got < float64(w)-tol || got > float64(w)+tol {
			t.Errorf("%s: minute %s drawn as %.2f, recorded %d", what, time.UnixMilli(minute).Format("15:04"), got, w)
		}
		matched++
	}
	if matched < min {
		t.Errorf("%s: %d recorded minutes drawn, want at least %d (path %q)", what, matched, min, s.D)
	}
}

func readSparks(t *testing.T, tb *tab) map[string]sparkSeen {
	t.Helper()
	var got map[string]sparkSeen
	if err := json.Unmarshal([]byte(evalJS[string](t, tb, sparkJS)), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// liveSnapshot reads the signed-in tab's /api/v1/snapshot.
func liveSnapshot(t *testing.T, tb *tab) *snapshot.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/snapshot').then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal([]byte(body), &s); err != nil || len(s.Skills) < 3 {
		t.Fatalf("snapshot: %d skills, %v: %.200s", len(s.Skills), err, body)
	}
	return &s
}

// TestBrowserSparklines: the skill tiles and the queue strip draw the recorded hour
// (checked point by point against what was stored), an arrow says when the last ten
// minutes rose, the wall shows them legibly, time travel shows them as of its
// moment, the drill-down charts the day, and axe finds nothing serious.
func TestBrowserSparklines(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfg := appConfig{addr: "127.0.0.1:0", seed: 23, floor: "large", dataDir: filepath.Join(dir, "first")}
	// A first run tells the floor's skills (the simulator is deterministic by seed).
	first := startDemoApp(t, cfg)
	tb := newTab(t, browser, chromedp.WithNewBrowserContext())
	tb.login(t, first)
	tb.open(t, first.Base+"/boards/demo")
	tb.waitJS(t, 45*time.Second, "live figures", hasFiguresJS)
	live := liveSnapshot(t, tb)
	first.stop(t)

	cfg.dataDir = filepath.Join(dir, "second")
	rec := prefillTrend(t, cfg.dataDir, live)
	app := startDemoApp(t, cfg)
	tb = newTab(t, browser, chromedp.WithNewBrowserContext())
	tb.login(t, app)
	skillWant := func(key string) func(int64) (int64, bool) {
		return func(m int64) (int64, bool) { w, ok := rec.waiting[m][key]; return w, ok }
	}
	queueWant := func(m int64) (int64, bool) { w, ok := rec.queue[m]; return w, ok }

	tb.do(t, 10*time.Second, chromedp.EmulateViewport(1440, 900))
	t.Run("manager board", func(t *testing.T) {
		tb.open(t, app.Base+"/boards/demo")
		tb.waitJS(t, 45*time.Second, "sparklines on the live board", hasFiguresJS+` && !!document.querySelector('#trend-tile-queue .spk-waiting path')`)
		seen := readSparks(t, tb)
		checkSpark(t, "queue strip", seen["trend-tile-queue"], queueWant, trendMinutes-3)
		for _, sk := range live.Skills {
			checkSpark(t, sk.Name, seen["trend-"+views.SkillTileID(sk.Key)], skillWant(sk.Key), trendMinutes-3)
		}
		checkAxe(t, tb, "manager board with sparklines")
	})

	t.Run("time travel shows the sparklines and arrows of its moment", func(t *testing.T) {
		at := rec.last.Add(time.Second)
		tb.open(t, app.Base+"/boards/demo?at="+url.QueryEscape(at.Format(time.RFC3339)))
		tb.waitJS(t, 15*time.Second, "the history banner", `!!document.querySelector('[data-testid="history-banner"]')`)
		seen := readSparks(t, tb)
		rising, flat := seen["trend-"+views.SkillTileID(live.Skills[0].Key)], seen["trend-"+views.SkillTileID(live.Skills[1].Key)]
		// The moment's own minute is still open then: the 29 before it are drawn.
		checkSpark(t, "rising skill", rising, skillWant(live.Skills[0].Key), trendMinutes-1)
		checkSpark(t, "queue strip", seen["trend-tile-queue"], queueWant, trendMinutes-1)
		if rising.Trend != "up" || !strings.Contains(rising.Words, "rising") {
			t.Errorf("a skill rising by 2 a minute: arrow %q %q, want up, \"rising\"", rising.Trend, rising.Words)
		}
		if flat.Trend != "" {
			t.Errorf("a flat skill has an arrow %q", flat.Trend)
		}
		checkAxe(t, tb, "time-travel board with sparklines")
	})

	t.Run("drill-down day chart", func(t *testing.T) {
		tb.open(t, app.Base+"/boards/demo?skill="+url.QueryEscape(live.Skills[0].Key))
		tb.waitJS(t, 30*time.Second, "the day chart", `document.querySelectorAll('[data-testid="day-chart"] .dpanel svg title').length === 4`)
		midnight := time.Date(time.Now().Year(), time.Now().Month(), time.Now().Day(), 0, 0, 0, 0, time.Local)
		if rec.last.After(midnight.Add(5 * time.Minute)) {
			if d := evalJS[string](t, tb, `(document.querySelector('.dp-waiting path') || {getAttribute: () => ''}).getAttribute('d')`); d == "" {
				t.Error("the day chart draws no waiting line for a skill with half an hour recorded today")
			}
		}
		if n := evalJS[int](t, tb, `document.querySelectorAll('.dp-waiting rect.band').length`); n != 2 {
			t.Errorf("waiting panel has %d threshold bands, want warn and crit", n)
		}
		checkAxe(t, tb, "drill-down with the day chart")
		evalJS[bool](t, tb, `(document.querySelector('[data-testid="day-chart"]').scrollIntoView(), true)`)
		shoot(t, tb, "day-chart", 1440, 900)
	})

	for _, sc := range []struct {
		name, size string
		w, h       int64
	}{{"1080p", "hd", 1920, 1080}, {"4k", "uhd", 3840, 2160}, {"1366x768", "sd", 1366, 768}, {"portrait", "portrait", 1080, 1920}} {
		t.Run("wall at "+sc.name, func(t *testing.T) {
			wall := newTab(t, browser)
			wall.do(t, 10*time.Second, chromedp.EmulateViewport(sc.w, sc.h))
			wall.open(t, app.WallURL)
			wall.waitJS(t, 60*time.Second, "the wall with sparklines", `document.body.getAttribute('data-size') === '`+sc.size+`' && `+hasFiguresJS+` && !!document.querySelector('.t-skill .spk-waiting path')`)
			var a wallAudit
			if err := json.Unmarshal([]byte(evalJS[string](t, wall, wallAuditJS)), &a); err != nil {
				t.Fatal(err)
			}
			for _, p := range a.Problems {
				t.Error(p)
			}
			seen := readSparks(t, wall)
			checkSpark(t, "wall queue strip", seen["trend-tile-queue"], queueWant, trendMinutes-3)
			// Legible across a room: each shown sparkline is at least 18 px tall and 40 px wide.
			small := evalJS[[]string](t, wall, `Array.from(document.querySelectorAll('.trend svg')).filter(s => { const r = s.getBoundingClientRect(); return r.height < 18 || r.width < 40 }).map(s => s.closest('[id]').id + ' ' + Math.round(s.getBoundingClientRect().width) + 'x' + Math.round(s.getBoundingClientRect().height))`)
			if len(small) > 0 {
				t.Errorf("sparklines too small to read on the wall: %v", small)
			}
			checkAxe(t, wall, "wall with sparklines")
			if sc.size == "hd" {
				shoot(t, wall, "trends-wall", 1920, 1080)
			}
		})
	}
}
