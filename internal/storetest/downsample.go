package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// testDownsampling records 26 h of 10 s polls with a 25 h retention and checks the
// tiers exactly: every snapshot of the last 24 h (from the 10-minute keyframe
// boundary), one point per minute with the minute's own min/max/last before that,
// and nothing older than the retention (from the hour boundary).
func testDownsampling(t *testing.T, s history.Store) {
	snaps := day(3, 12, 26*time.Hour)
	h := record(t, s, history.Config{Retention: 25 * time.Hour}, snaps)
	ctx := context.Background()
	newest := snaps[len(snaps)-1].TakenAt // 2026-03-04T01:30:00Z
	rawCut := newest.Add(-history.RawWindow).Truncate(10 * time.Minute)
	minCut := newest.Add(-25 * time.Hour).Truncate(time.Hour)

	var wantRaw int
	for _, sn := range snaps {
		if !sn.TakenAt.Before(rawCut) {
			wantRaw++
		}
	}
	raw, _ := frames(t, s, history.Raw, time.Time{}, newest.Add(time.Hour))
	if len(raw) != wantRaw || !raw[0].Equal(rawCut) {
		t.Errorf("raw tier: %d frames from %v, want %d from %v", len(raw), raw[0], wantRaw, rawCut)
	}
	mins, _ := frames(t, s, history.Minute, time.Time{}, newest.Add(time.Hour))
	wantMins := int(newest.Truncate(time.Minute).Sub(minCut) / time.Minute) // the open minute is not written yet
	if len(mins) != wantMins || !mins[0].Equal(minCut) {
		t.Errorf("minute tier: %d frames from %v, want %d from %v", len(mins), mins[0], wantMins, minCut)
	}
	ev, _ := frames(t, s, history.Events, time.Time{}, newest.Add(time.Hour))
	if ev[0].Before(minCut) {
		t.Errorf("events tier starts %v, before the retention cut %v", ev[0], minCut)
	}

	skill := snaps[0].Skills[1].Key
	for _, name := range []string{"waiting", "service_level", "longest_wait", "agents_available"} {
		m, err := history.MetricNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		// An hour older than 24 h: minute points.
		from := minCut.Add(30 * time.Minute)
		q := history.Query{Skill: skill, Metric: m, From: from, To: from.Add(time.Hour), Step: time.Minute}
		checkSeries(t, h, q, snaps)
		q.Step = 5 * time.Minute
		checkSeries(t, h, q, snaps)
		// The last hour at poll resolution, ending in the minute still open.
		q = history.Query{Skill: skill, Metric: m, From: newest.Add(-time.Hour), To: newest.Add(time.Second), Step: 10 * time.Second}
		checkSeries(t, h, q, snaps)
		q.Step = time.Minute
		checkSeries(t, h, q, snaps)
	}

	// Older than 24 h, the board is the last snapshot of the minute.
	at := minCut.Add(10*time.Minute + 30*time.Second)
	got, err := h.At(ctx, at)
	if err != nil {
		t.Fatalf("At(%v): %v", at, err)
	}
	var want *snapshot.Snapshot
	for _, sn := range snaps {
		if sn.TakenAt.Truncate(time.Minute).Equal(at.Truncate(time.Minute)) {
			want = sn
		}
	}
	if g, w := JSON(t, got), JSON(t, want); g != w {
		t.Errorf("At(%v) from the minute tier:\n got %s\nwant %s", at, g, w)
	}
}

// checkSeries compares h's answer to q with min/max/last computed from snaps.
func checkSeries(t *testing.T, h *history.History, q history.Query, snaps []*snapshot.Snapshot) {
	t.Helper()
	got, err := h.Series(context.Background(), q)
	if err != nil {
		t.Fatalf("Series(%s step %v): %v", q.Metric.Name, q.Step, err)
	}
	var want []history.Point
	for _, sn := range snaps {
		if sn.TakenAt.Before(q.From) || !sn.TakenAt.Before(q.To) {
			continue
		}
		v := metricOf(sn, q.Skill, q.Metric.Name)
		b := q.From.Add(sn.TakenAt.Sub(q.From) / q.Step * q.Step)
		if n := len(want); n > 0 && want[n-1].At.Equal(b) {
			p := &want[n-1]
			p.Min = snapshot.Some(min(p.Min.Or(v), v))
			p.Max = snapshot.Some(max(p.Max.Or(v), v))
			p.Last = snapshot.Some(v)
			continue
		}
		want = append(want, history.Point{At: b, Min: snapshot.Some(v), Max: snapshot.Some(v), Last: snapshot.Some(v)})
	}
	if len(want) < 6 {
		t.Fatalf("Series(%s step %v): the suite's range holds %d points; it must cover several", q.Metric.Name, q.Step, len(want))
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Errorf("Series(%s, %v..%v step %v):\n got %s\nwant %s", q.Metric.Name, q.From, q.To, q.Step, g, w)
	}
}

// metricOf reads one metric of a skill's first queue the way the API reports it.
func metricOf(s *snapshot.Snapshot, skill, name string) float64 {
	for _, sk := range s.Skills {
		if sk.Key != skill {
			continue
		}
		q := sk.Queues[0]
		switch name {
		case "waiting":
			return float64(q.Waiting.Or(0))
		case "service_level":
			return q.ServiceLevel.Or(0)
		case "longest_wait":
			return q.LongestWait.Or(0).Seconds()
		case "agents_available":
			return float64(sk.Agents.Available)
		}
	}
	panic("storetest: no metric " + name + " for " + skill)
}
