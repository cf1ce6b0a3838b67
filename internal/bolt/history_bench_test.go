//go:build linux || darwin

package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/storetest"
)

// The production shape the issue names: 50 skills, 500 agents, polled every 10 s.
const (
	benchSkills = 50
	benchAgents = 500
	pollEvery   = 10 * time.Second
)

var benchStart = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func openBench(b *testing.B) (*bolt.History, string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), bolt.HistoryFile)
	// NoSync: fsync happens once per poll in production (every 10 s), so it is not
	// what limits recording; with it the figure measures this machine's disk.
	s, err := bolt.OpenHistory(path, bolt.HistoryOptions{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, path
}

// BenchmarkHistoryRecord is the cost of recording one snapshot of the production
// shape: encoding (delta frame, agent changes, minute aggregates) and one bbolt
// commit, on the recorder's goroutine.
func BenchmarkHistoryRecord(b *testing.B) {
	b.Run(fmt.Sprintf("skills=%d,agents=%d", benchSkills, benchAgents), func(b *testing.B) {
		s, _ := openBench(b)
		h := history.New(s, history.Config{})
		f := storetest.NewFloor(benchSkills, benchAgents, benchStart, 1)
		ctx := context.Background()
		h.RecordNow(ctx, f.Snapshot())
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			snap := f.Step(pollEvery)
			b.StartTimer()
			h.RecordNow(ctx, snap)
		}
	})
}

// BenchmarkHistoryDay records a whole simulated day at poll resolution and reports
// the file's size: the disk one day of history needs (goal ≤ 20 MB/day). The
// skills-only shape splits that between skills and agents.
func BenchmarkHistoryDay(b *testing.B) {
	for _, shape := range [][2]int{{benchSkills, benchAgents}, {benchSkills, 0}} {
		benchDay(b, shape[0], shape[1])
	}
}

func benchDay(b *testing.B, skills, agents int) {
	b.Run(fmt.Sprintf("skills=%d,agents=%d", skills, agents), func(b *testing.B) {
		for range b.N {
			s, path := openBench(b)
			h := history.New(s, history.Config{})
			f := storetest.NewFloor(skills, agents, benchStart, 1)
			ctx := context.Background()
			h.RecordNow(ctx, f.Snapshot())
			for range int(24 * time.Hour / pollEvery) {
				h.RecordNow(ctx, f.Step(pollEvery))
			}
			var bytes [4]int64
			for _, t := range history.Tiers {
				_ = s.Range(ctx, t, time.Time{}, benchStart.Add(48*time.Hour), func(_ time.Time, d []byte) error {
					bytes[t] += int64(len(d))
					return nil
				})
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Size())/1e6, "MB/day")
			b.ReportMetric(float64(bytes[history.Raw])/1e6, "raw-MB/day")
			b.ReportMetric(float64(bytes[history.Minute])/1e6, "minute-MB/day")
			b.ReportMetric(float64(bytes[history.Events])/1e6, "events-MB/day")
		}
	})
}

// BenchmarkSparklineQuery asks for what the boards chart, from a store holding two
// hours: one skill's last 60 minutes of waiting at one point per minute (the
// history API's shape), and the last 60 minutes of every skill at once — what the
// live loop asks once per snapshot for all the sparklines (board,live: memory
// only) and what a time-travel page asks (board,store: a fresh History after a
// restart, so the store is read).
func BenchmarkSparklineQuery(b *testing.B) {
	s, h, f := recordFloor(b, int(2*time.Hour/pollEvery), pollEvery)
	ctx := context.Background()
	end := f.Snapshot().TakenAt
	shape := fmt.Sprintf("skills=%d,agents=%d", benchSkills, benchAgents)
	b.Run(shape, func(b *testing.B) {
		m, _ := history.MetricNamed("waiting")
		skill := f.Snapshot().Skills[17].Key
		q := history.Query{Skill: skill, Metric: m, From: end.Add(-time.Hour), To: end.Add(time.Second), Step: time.Minute}
		lat := make([]time.Duration, 0, 1024)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			t0 := time.Now()
			pts, err := h.Series(ctx, q)
			lat = append(lat, time.Since(t0))
			if err != nil || len(pts) < 60 {
				b.Fatalf("%d points, %v", len(pts), err)
			}
		}
		b.ReportMetric(p99(lat), "p99-ms")
	})
	minute := end.Truncate(time.Minute)
	for _, c := range []struct {
		name  string
		query func() ([]history.SkillMinute, error)
	}{
		{"board,live", func() ([]history.SkillMinute, error) { return h.Recent(minute.Add(-time.Hour), minute, nil), nil }},
		{"board,store", func() ([]history.SkillMinute, error) {
			return history.New(s, history.Config{}).SkillMinutes(ctx, minute.Add(-time.Hour), minute, nil)
		}},
	} {
		b.Run(shape+","+c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, 1024)
			b.ReportAllocs()
			cpu0 := storetest.CPUTime()
			for b.Loop() {
				t0 := time.Now()
				mins, err := c.query()
				lat = append(lat, time.Since(t0))
				if err != nil || len(mins) != 60 || len(mins[0].Skills) != benchSkills {
					b.Fatalf("%d minutes, %v", len(mins), err)
				}
			}
			b.ReportMetric(float64((storetest.CPUTime()-cpu0).Microseconds())/1e3/float64(len(lat)), "cpu-ms/op")
			b.ReportMetric(p99(lat), "p99-ms")
		})
	}
}

func p99(lat []time.Duration) float64 {
	slices.Sort(lat)
	return float64(lat[len(lat)*99/100].Microseconds()) / 1e3
}

// BenchmarkDayChartQuery is what a manager drill-down reads when it loads: one
// skill's minutes of a whole day from the file (the day chart). A poll a minute
// records the same minute points a day of 10 s polls does, in a sixth of the time.
func BenchmarkDayChartQuery(b *testing.B) {
	b.Run(fmt.Sprintf("skills=%d,agents=%d", benchSkills, benchAgents), func(b *testing.B) {
		_, h, f := recordFloor(b, 24*60, time.Minute)
		ctx := context.Background()
		end := f.Snapshot().TakenAt
		key := []string{f.Snapshot().Skills[17].Key}
		lat := make([]time.Duration, 0, 64)
		b.ReportAllocs()
		cpu0 := storetest.CPUTime()
		for b.Loop() {
			t0 := time.Now()
			mins, err := h.SkillMinutes(ctx, benchStart, end, key)
			lat = append(lat, time.Since(t0))
			if err != nil || len(mins) < 24*60-1 || len(mins[0].Skills) != 1 {
				b.Fatalf("%d minutes, %v", len(mins), err)
			}
		}
		b.ReportMetric(float64((storetest.CPUTime()-cpu0).Microseconds())/1e3/float64(len(lat)), "cpu-ms/op")
		b.ReportMetric(p99(lat), "p99-ms")
	})
}

// recordFloor records the production floor's first snapshot and then polls more,
// every apart, into a fresh file.
func recordFloor(b *testing.B, polls int, every time.Duration) (*bolt.History, *history.History, *storetest.Floor) {
	b.Helper()
	s, _ := openBench(b)
	h := history.New(s, history.Config{})
	f := storetest.NewFloor(benchSkills, benchAgents, benchStart, 1)
	h.RecordNow(context.Background(), f.Snapshot())
	for range polls {
		h.RecordNow(context.Background(), f.Step(every))
	}
	return s, h, f
}
