package server

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/storetest"
	"github.com/ccdash/ccdash/internal/views"
)

// BenchmarkTimeTravelBoard is what /boards/{id}?at= costs at the production shape:
// rebuild the snapshot at a moment of the last hour from the bolt file (keyframe
// plus deltas) and render the whole manager page from it.
func BenchmarkTimeTravelBoard(b *testing.B) {
	const skills, agents = 50, 500
	b.Run(fmt.Sprintf("skills=%d,agents=%d", skills, agents), func(b *testing.B) {
		st, err := bolt.OpenHistory(filepath.Join(b.TempDir(), bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		h := history.New(st, history.Config{})
		ctx := context.Background()
		f := storetest.NewFloor(skills, agents, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 1)
		h.RecordNow(ctx, f.Snapshot())
		for range 360 { // an hour of 10 s polls
			h.RecordNow(ctx, f.Step(10*time.Second))
		}
		start := f.Snapshot().TakenAt.Add(-time.Hour)
		v := views.Variant{Board: views.DefaultBoard(), Audience: views.Manager}
		var buf bytes.Buffer
		lat := make([]time.Duration, 0, 1024)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			at := start.Add(time.Duration(i*7919%3600) * time.Second) // spread over the hour
			t0 := time.Now()
			snap, err := h.At(ctx, at)
			if err != nil {
				b.Fatal(err)
			}
			buf.Reset()
			if err := views.RenderPage(ctx, &buf, v, snap, views.PageOpts{ServerNow: at}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1e3, "p99-ms")
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
}
