package redisstore

import (
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/announce"
)

// BenchmarkAnnouncementAcrossReplicas is the time from a post returning on replica A
// to replica B's feed holding it (what B's walls then show), with the withdrawal
// before the next post; p50/p99 in ms (the goal: well under a second).
func BenchmarkAnnouncementAcrossReplicas(b *testing.B) {
	f := newFresh(b)
	p := f.prefix()
	a, other := replicaFeed(b, f, p), replicaFeed(b, f, p)
	ctx := b.Context()
	lat := make([]time.Duration, 0, 256)
	for b.Loop() {
		posted, err := a.Post(ctx, announce.Draft{Text: "Huddle", Level: announce.Info, ExpiresAt: time.Now().Add(time.Hour)}, "bench")
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		waitFor(b, "the post on B", func() bool { return len(other.Active("")) == 1 })
		lat = append(lat, time.Since(t0))
		if _, err := a.Withdraw(ctx, posted.ID, func(announce.Announcement) bool { return true }); err != nil {
			b.Fatal(err)
		}
		waitFor(b, "the withdrawal on B", func() bool { return len(other.Active("")) == 0 })
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1e3, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1e3, "p99-ms")
}
