//go:build linux || darwin

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
// rebuild the snapshot at a moment of the last two hours from the bolt file
// (keyframe plus deltas), read the hour of sparklines before it (from memory for
// recent moments, from the file for older ones) and render the whole manager page
// with them.
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
		for range 3 * 360 { // three hours of 10 s polls
			h.RecordNow(ctx, f.Step(10*time.Second))
		}
		start := f.Snapshot().TakenAt.Add(-2 * time.Hour) // every moment has a full hour of sparklines
		trends := &trendSource{h: h}
		v := views.Variant{Board: views.DefaultBoard(), Audience: views.Manager}
		var buf bytes.Buffer
		lat := make([]time.Duration, 0, 1024)
		b.ReportAllocs()
		b.ResetTimer()
		cpu0 := storetest.CPUTime()
		for i := range b.N {
			at := start.Add(time.Duration(i*7919%7200) * time.Second) // spread over two hours
			t0 := time.Now()
			snap, err := h.At(ctx, at)
			if err != nil {
				b.Fatal(err)
			}
			buf.Reset()
			opts := views.PageOpts{ServerNow: at, Trends: trends.at(ctx, snap.TakenAt)}
			if err := views.RenderPage(ctx, &buf, v, snap, opts); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		if !bytes.Contains(buf.Bytes(), []byte(`class="spk spk-waiting"`)) {
			b.Fatal("the page of the past has no sparklines")
		}
		b.ReportMetric(float64((storetest.CPUTime()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1e3, "p99-ms")
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
}
