package hub

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"
)

// diffSize is a typical pushed message: a handful of re-rendered tiles.
const diffSize = 2 << 10

// stampedDiff returns a diffSize message whose first 8 bytes are the time it
// was made, as an offset from start on the monotonic clock, so a receiver can
// compute delivery latency without sharing memory with the publisher.
func stampedDiff(start time.Time) []byte {
	msg := make([]byte, diffSize)
	binary.LittleEndian.PutUint64(msg, uint64(time.Since(start)))
	return msg
}

func stampOf(msg []byte) time.Duration {
	return time.Duration(binary.LittleEndian.Uint64(msg))
}

// BenchmarkBroadcast measures one Publish fanned out to n in-memory
// subscribers, each drained by its own goroutine as a socket loop would. An
// op ends when every subscriber has dequeued the diff (diffs arrive about
// once a second in production, so there is no point overlapping them), so
// ns/op is the whole fan-out; publish-us is the time inside Publish alone
// (what the live loop waits for), and p50-ms/p99-ms the delay from Publish
// to each subscriber's dequeue. The one alloc/op is the diff itself.
func BenchmarkBroadcast(b *testing.B) {
	for _, n := range []int{1, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) { benchBroadcast(b, n) })
	}
}

func benchBroadcast(b *testing.B, n int) {
	h := New(Options{})
	defer h.Close()
	start := time.Now()
	var lat histogram
	var pending sync.WaitGroup
	var consumers sync.WaitGroup
	stop := make(chan struct{})
	for range n {
		s, err := h.subscribe("board", "")
		if err != nil {
			b.Fatal(err)
		}
		consumers.Add(1)
		go func() {
			defer consumers.Done()
			for {
				select {
				case msg := <-s.queue:
					lat.record(time.Since(start) - stampOf(msg))
					pending.Done()
				case <-stop:
					return
				}
			}
		}()
	}

	var inPublish time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pending.Add(n)
		msg := stampedDiff(start)
		t0 := time.Now()
		h.Publish("board", msg, msg)
		inPublish += time.Since(t0)
		pending.Wait()
	}
	b.StopTimer()

	if got := h.Stats().KickedSlow; got != 0 {
		b.Fatalf("%d subscribers kicked as slow, want 0", got)
	}
	b.ReportMetric(float64(inPublish.Microseconds())/float64(b.N), "publish-us")
	b.ReportMetric(ms(lat.quantile(0.50)), "p50-ms")
	b.ReportMetric(ms(lat.quantile(0.99)), "p99-ms")
	h.Close()
	close(stop)
	consumers.Wait()
}
