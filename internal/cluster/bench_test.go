package cluster

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

// BenchmarkPropagation is leader → follower on one loopback redis-server at 50 skills
// and 500 agents: from the leader's poller publishing a snapshot to the follower's
// store showing it (encode, fenced PUBLISH + SET, decode, apply), one at a time.
// Reports p50/p99 and the bytes of one snapshot on the wire.
func BenchmarkPropagation(b *testing.B) {
	url := redistest.Start(b).URL()
	outs := make(chan *snapshot.Store, 1)
	lead := func(ctx context.Context, out *snapshot.Store) error {
		outs <- out
		<-ctx.Done()
		return nil
	}
	start := func(st *snapshot.Store, lead func(context.Context, *snapshot.Store) error) {
		c, err := NewClient(url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		n, err := New(Options{Client: c, Name: "bench", Store: st, Lead: lead})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { n.Run(ctx); close(done) }()
		b.Cleanup(func() { cancel(); <-done })
	}
	start(snapshot.NewStore(), lead)
	var out *snapshot.Store
	select {
	case out = <-outs:
	case <-time.After(30 * time.Second):
		b.Fatal("no leader")
	}
	follower := snapshot.NewStore()
	start(follower, func(ctx context.Context, _ *snapshot.Store) error { <-ctx.Done(); return nil })

	fl := storetest.NewFloor(50, 500, time.Now(), 1)
	frame := fl.Step(time.Second)
	wire, err := encodeSnapshot(1, 1, time.Now(), frame)
	if err != nil {
		b.Fatal(err)
	}
	publish := func() time.Duration {
		ch := follower.Changed()
		var seq uint64
		if f := follower.Load(); f != nil && f.Replica != nil {
			seq = f.Replica.Seq
		}
		s := *frame
		t0 := time.Now()
		out.Publish(&s)
		for {
			if f := follower.Load(); f != nil && f.Replica != nil && f.Replica.Seq > seq {
				return time.Since(t0)
			}
			select {
			case <-ch:
				ch = follower.Changed()
			case <-time.After(10 * time.Second):
				b.Fatal("the follower never showed the snapshot")
			}
		}
	}
	publish() // warm up: the follower's subscription is live
	lags := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		lags = append(lags, publish())
	}
	b.StopTimer()
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(wire)), "wire-bytes")
}
