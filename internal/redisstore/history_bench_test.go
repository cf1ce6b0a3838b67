package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/storetest"
)

// BenchmarkHistoryDay records a simulated day of the production shape (50 skills,
// 500 agents, a poll every 10 s) into Redis and reports what Redis holds for it
// (MEMORY USAGE of the six keys, SAMPLES 0: every field counted), beside the frames'
// own bytes: the figure to set against bolt's BenchmarkHistoryDay file size.
func BenchmarkHistoryDay(b *testing.B) {
	const skills, agents, poll = 50, 500, 10 * time.Second
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	f := newFresh(b)
	for range b.N {
		s := NewHistory(f.c, f.prefix())
		h := history.New(s, history.Config{})
		fl := storetest.NewFloor(skills, agents, start, 1)
		ctx := context.Background()
		h.RecordNow(ctx, fl.Snapshot())
		for range int(24 * time.Hour / poll) {
			h.RecordNow(ctx, fl.Step(poll))
		}
		var used, data int64
		for _, t := range history.Tiers {
			index, frames, _ := s.keys(t)
			for _, k := range []string{index, frames} {
				n, err := f.c.MemoryUsage(ctx, k, 0).Result()
				if err != nil {
					b.Fatal(err)
				}
				used += n
			}
			_ = s.Range(ctx, t, time.Time{}, start.Add(48*time.Hour), func(_ time.Time, d []byte) error {
				data += int64(len(d))
				return nil
			})
		}
		b.ReportMetric(float64(used)/1e6, "redis-MB/day")
		b.ReportMetric(float64(data)/1e6, "frames-MB/day")
	}
}
