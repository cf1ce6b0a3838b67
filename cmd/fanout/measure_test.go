package main

import (
	"os"
	"testing"
	"time"
)

// TestSummarizeLinesUpBroadcasts: one broadcast is the same bytes on every
// client, wherever it falls in each one's sequence; its spread is last − first
// arrival, broadcasts outside the window or missing on a client are not counted
// as whole.
func TestSummarizeLinesUpBroadcasts(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	full := arrival{at: at(-500), size: 9000, key: 1}
	early := arrival{at: at(-200), size: 200, key: 9} // before the window, and before client 2 connected
	clients := []*client{
		{msgs: []arrival{full, early, {at: at(100), size: 300, key: 2}, {at: at(1100), size: 400, key: 3}, {at: at(2100), size: 500, key: 4}}},
		{msgs: []arrival{full, {at: at(130), size: 300, key: 2}, {at: at(1105), size: 400, key: 3}}}, // missed the third
	}
	var res result
	delivered := summarize(&res, clients, t0, at(3000))
	if res.broadcasts != 2 || res.partial != 1 || delivered != 5 {
		t.Fatalf("broadcasts %d partial %d delivered %d, want 2 1 5", res.broadcasts, res.partial, delivered)
	}
	if res.spreadP50 != 5*time.Millisecond || res.spreadP99 != 5*time.Millisecond {
		t.Errorf("spreads p50 %v p99 %v, want 5ms (30ms and 5ms sorted, index 0)", res.spreadP50, res.spreadP99)
	}
	if res.msgP50 != 300 {
		t.Errorf("message p50 %d, want 300", res.msgP50)
	}
}

func TestProcFiguresOfThisProcess(t *testing.T) {
	r, err := rss(os.Getpid())
	if err != nil || r < 1<<20 {
		t.Fatalf("rss = %d, %v; want over 1 MiB", r, err)
	}
	c0, err := cpuTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Burn a little CPU: schedstat counts nanoseconds, so it shows.
	for x, deadline := 0, time.Now().Add(20*time.Millisecond); time.Now().Before(deadline); x++ {
		_ = x * x
	}
	if c1, err := cpuTime(os.Getpid()); err != nil || c1 <= c0 {
		t.Errorf("cpu after work %v (%v), before %v: want more", c1, err, c0)
	}
	if st, err := statCPU(os.Getpid()); err != nil || st < 0 {
		t.Errorf("statCPU = %v, %v", st, err)
	}
}
