package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/announce"
)

// BenchmarkAnnouncementReachesWalls: how long from posting an announcement until every
// open wall of its board shows it (the issue asks for within a second). Each iteration
// posts one and withdraws it; p50/p99/max are over every wall of every post.
func BenchmarkAnnouncementReachesWalls(b *testing.B) {
	for _, walls := range []int{10, 100} {
		b.Run(fmt.Sprintf("walls=%d", walls), func(b *testing.B) {
			e := newNoticeEnv(b)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			msgs := make([]chan string, walls)
			for i := range walls {
				c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.ts.URL, "http")+"/ws?board=demo&view=wall", nil)
				if err != nil {
					b.Fatal(err)
				}
				c.SetReadLimit(1 << 20)
				defer c.CloseNow()
				msgs[i] = make(chan string, 64)
				go func(c *websocket.Conn, out chan<- string) {
					for {
						_, m, err := c.Read(ctx)
						if err != nil {
							close(out)
							return
						}
						out <- string(m)
					}
				}(c, msgs[i])
			}
			until := func(ch <-chan string, ok func(string) bool) {
				for m := range ch {
					if ok(m) {
						return
					}
				}
				b.Fatal("a wall socket ended")
			}
			var lat []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				text := fmt.Sprintf("Bench announcement %d", i)
				start := time.Now()
				a, err := e.feed.Post(ctx, announce.Draft{Text: text, Level: announce.Info, Boards: []string{"demo"}, ExpiresAt: start.Add(time.Hour)}, "bench")
				if err != nil {
					b.Fatal(err)
				}
				for _, ch := range msgs {
					until(ch, func(m string) bool { return strings.Contains(m, text) })
					lat = append(lat, time.Since(start))
				}
				if _, err := e.feed.Withdraw(ctx, a.ID, func(announce.Announcement) bool { return true }); err != nil {
					b.Fatal(err)
				}
				for _, ch := range msgs {
					until(ch, func(m string) bool { return strings.Contains(m, `id="tile-ticker"`) && !strings.Contains(m, text) })
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(1), "max-ms")
		})
	}
}
