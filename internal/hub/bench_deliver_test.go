//go:build linux || darwin

package hub

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDeliver measures what the server spends to deliver one message to
// one socket: n real WebSocket connections over loopback, read by minimal raw
// TCP readers that allocate nothing and cost one read syscall a frame, so the
// allocations and most of the CPU counted are the hub's and the library's.
// An op is one Publish delivered to every socket. Metrics:
//   - allocs/msg: heap allocations per delivered message (target 0);
//   - cpu-us/msg: process CPU (user+system) per delivered message, the raw
//     readers' read syscalls included, so the server's own share is lower;
//   - p99-spread-ms: last − first arrival of one message across the sockets.
func BenchmarkDeliver(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("sockets=%d", n), func(b *testing.B) { benchDeliver(b, n) })
	}
}

func benchDeliver(b *testing.B, n int) {
	if err := raiseFileLimit(uint64(2*n + 256)); err != nil {
		b.Fatalf("cannot open %d sockets: %v (raise ulimit -n)", 2*n, err)
	}
	h := New(Options{PingInterval: time.Hour})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = h.Serve(w, r, ServeOptions{Topic: "board"})
	}))
	defer srv.Close()
	defer h.Close()

	msg := make([]byte, 1<<10)
	h.Publish("board", nil, msg)
	var pending, readers sync.WaitGroup
	var mu sync.Mutex
	var first, last time.Time
	arrived := func() {
		now := time.Now()
		mu.Lock()
		if first.IsZero() || now.Before(first) {
			first = now
		}
		if now.After(last) {
			last = now
		}
		mu.Unlock()
		pending.Done()
	}
	pending.Add(n)
	for range n {
		conn, br, err := rawDial(srv.Listener.Addr().String())
		if err != nil {
			b.Fatalf("dial: %v", err)
		}
		defer conn.Close()
		readers.Add(1)
		go func() {
			defer readers.Done()
			rawRead(br, arrived)
		}()
	}
	pending.Wait() // every socket has its full state

	var spreads []time.Duration
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		mu.Lock()
		first, last = time.Time{}, time.Time{}
		mu.Unlock()
		pending.Add(n)
		h.Publish("board", msg, msg)
		pending.Wait()
		mu.Lock()
		spreads = append(spreads, last.Sub(first))
		mu.Unlock()
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&m1)

	delivered := float64(b.N) * float64(n)
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/delivered, "allocs/msg")
	b.ReportMetric(float64(cpu.Microseconds())/delivered, "cpu-us/msg")
	b.ReportMetric(ms(quantileOf(spreads, 0.99)), "p99-spread-ms")
	h.Close()
	readers.Wait()
}

// rawRead reads unmasked server frames into a fixed buffer and calls arrived
// once per data message, until the socket ends.
func rawRead(br *bufio.Reader, arrived func()) {
	buf := make([]byte, 32<<10)
	for {
		switch op, err := rawFrame(br, buf); {
		case err != nil || op == 0x8:
			return
		case op == 0x1 || op == 0x2:
			arrived()
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func quantileOf(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*q)]
}
