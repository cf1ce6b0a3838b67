package main

import (
	"os"
	"testing"
	"time"
)

// TestSummarizeLinesUpBroadcasts: the k-th message of every client is one
// broadcast; its spread is last − first arrival, broadcasts outside the window
// or missing on a client are not counted as whole.
func TestSummarizeLinesUpBroadcasts(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	full := arrival{at: at(-500), size: 9000}
	clients := []*client{
		{msgs: []arrival{full, {at: at(100), size: 300}, {at: at(1100), size: 400}, {at: at(2100), size: 500}}},
		{msgs: []arrival{full, {at: at(130), size: 300}, {at: at(1105), size: 400}}}, // missed the third
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
	if _, err := cpuTime(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}
