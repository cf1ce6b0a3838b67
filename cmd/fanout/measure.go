package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// arrival is one message as one client saw it, on its gen-th connection.
type arrival struct {
	at   time.Time
	size int
	gen  int
}

// client is one reading socket (redialled when the server goes away) and what it
// received, in order.
type client struct {
	mu      sync.Mutex
	msgs    []arrival
	backAt  []time.Time // when each connection delivered its full state
	fails   []failure   // handshakes the server answered but did not complete
	refused int         // dials refused while no server listened
}

type failure struct {
	at  time.Time
	why string
}

// got returns the messages of the first connection: the broadcasts measured.
func (c *client) got() []arrival {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []arrival
	for _, a := range c.msgs {
		if a.gen == 0 {
			out = append(out, a)
		}
	}
	return out
}

func (c *client) record(a arrival) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.msgs) == 0 || c.msgs[len(c.msgs)-1].gen != a.gen {
		c.backAt = append(c.backAt, a.at)
	}
	c.msgs = append(c.msgs, a)
}

type result struct {
	name                  string
	sockets, broadcasts   int
	partial               int // broadcasts some client never received
	spreadP50, spreadP99  time.Duration
	msgP50                int
	rssPerSocket          float64 // bytes
	cpuPerMsg             time.Duration
	cpuPerSocketPerSecond time.Duration
	storm                 *stormResult
}

func (r result) print(w io.Writer) {
	fmt.Fprintf(w, "%s sockets=%d broadcasts=%d partial=%d spread-p50-ms=%.1f spread-p99-ms=%.1f msg-p50-bytes=%d rss-per-socket-kb=%.1f cpu-per-msg-us=%.1f cpu-per-socket-per-s-us=%.2f\n",
		r.name, r.sockets, r.broadcasts, r.partial, ms(r.spreadP50), ms(r.spreadP99), r.msgP50,
		r.rssPerSocket/1024, float64(r.cpuPerMsg)/float64(time.Microsecond), float64(r.cpuPerSocketPerSecond)/float64(time.Microsecond))
	if r.storm != nil {
		r.storm.print(w, r.name, r.sockets)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measure opens the sockets, waits until each has its first message (the full
// state), then watches every broadcast for o.duration.
func measure(ctx context.Context, s *server, o options) (result, error) {
	res := result{name: s.name, sockets: o.sockets}
	rss0, err := rss(s.pid())
	if err != nil {
		return res, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clients := make([]*client, o.sockets)
	ready := make(chan error, o.sockets)
	sem := make(chan struct{}, 64) // dial in parallel without flooding the accept backlog
	var wg sync.WaitGroup
	for i := range clients {
		clients[i] = &client{}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			readSocket(ctx, s, i, clients[i], ready, sem)
		}()
	}
	for range o.sockets {
		select {
		case err := <-ready:
			if err != nil {
				return res, err
			}
		case <-time.After(2 * time.Minute):
			return res, fmt.Errorf("clients did not all get their full state within 2 minutes")
		}
	}
	cpu0, err := cpuTime(s.pid())
	if err != nil {
		return res, err
	}
	start := time.Now()
	select {
	case <-time.After(o.duration):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	cpu1, _ := cpuTime(s.pid())
	rss1, _ := rss(s.pid())
	elapsed := time.Since(start)
	if o.storm {
		if res.storm, err = storm(ctx, s, clients); err != nil {
			return res, err
		}
	}
	cancel()
	wg.Wait()

	res.rssPerSocket = float64(rss1-rss0) / float64(o.sockets)
	delivered := summarize(&res, clients, start, start.Add(elapsed))
	cpu := cpu1 - cpu0
	if delivered > 0 {
		res.cpuPerMsg = cpu / time.Duration(delivered)
	}
	res.cpuPerSocketPerSecond = time.Duration(float64(cpu) / float64(o.sockets) / elapsed.Seconds())
	return res, nil
}

// readSocket dials socket i from its own loopback address and records every
// message until ctx ends, redialling like a wall page when the server goes away.
// It reports on ready once: the first full state, or why there is none.
func readSocket(ctx context.Context, s *server, i int, c *client, ready chan<- error, sem <-chan struct{}) {
	local := &net.TCPAddr{IP: net.IPv4(127, byte(i/250/250%250), byte(i/250%250), byte(2+i%250))}
	tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: local, Timeout: 30 * time.Second}).DialContext}
	dial := func() (*websocket.Conn, error) {
		dctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		conn, _, err := websocket.Dial(dctx, s.wsURL, &websocket.DialOptions{
			HTTPClient: &http.Client{Transport: tr},
			HTTPHeader: http.Header{"Origin": {s.origin}},
		})
		if conn != nil {
			conn.SetReadLimit(8 << 20)
		}
		return conn, err
	}
	conn, err := dial()
	<-sem
	if err != nil {
		ready <- fmt.Errorf("socket %d: dial %s: %w", i, s.wsURL, err)
		return
	}
	first := true
	for gen := 0; ; gen++ {
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				break
			}
			c.record(arrival{at: time.Now(), size: len(data), gen: gen})
			if first {
				first = false
				ready <- nil
			}
		}
		conn.CloseNow()
		if ctx.Err() != nil {
			return
		}
		if first {
			ready <- fmt.Errorf("socket %d: closed before its full state", i)
			return
		}
		if conn = c.redial(ctx, dial); conn == nil {
			return
		}
	}
}

// redial waits and dials again with the ws extension's "full jitter" back-off
// (a random wait up to 1 s, 2 s, 4 s … 64 s), as a wall page does after a 1012.
func (c *client) redial(ctx context.Context, dial func() (*websocket.Conn, error)) *websocket.Conn {
	for attempt := 0; ; attempt++ {
		wait := time.Duration(rand.Int64N(int64(time.Second) << min(attempt, 6)))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
		conn, err := dial()
		if err == nil {
			return conn
		}
		c.mu.Lock()
		if errors.Is(err, syscall.ECONNREFUSED) {
			c.refused++
		} else {
			c.fails = append(c.fails, failure{time.Now(), err.Error()})
		}
		c.mu.Unlock()
	}
}

// summarize lines up the k-th message of every client (they all watch one topic, so
// the k-th message is the same broadcast everywhere), keeps the broadcasts that first
// arrived inside [from, to), and fills the spread and size figures. It returns the
// number of messages delivered in the window.
func summarize(res *result, clients []*client, from, to time.Time) int {
	all := make([][]arrival, len(clients))
	longest := 0
	for i, c := range clients {
		all[i] = c.got()[1:] // the full state is not a broadcast
		longest = max(longest, len(all[i]))
	}
	var spreads []time.Duration
	var sizes []int
	delivered := 0
	for k := range longest {
		var first, last time.Time
		n := 0
		for _, msgs := range all {
			if k >= len(msgs) {
				continue
			}
			a := msgs[k]
			if first.IsZero() || a.at.Before(first) {
				first = a.at
			}
			if a.at.After(last) {
				last = a.at
			}
			n++
		}
		if first.Before(from) || !first.Before(to) {
			continue
		}
		delivered += n
		if n < len(clients) {
			res.partial++
			continue
		}
		res.broadcasts++
		spreads = append(spreads, last.Sub(first))
		sizes = append(sizes, all[0][k].size)
	}
	slices.Sort(spreads)
	slices.Sort(sizes)
	if len(spreads) > 0 {
		res.spreadP50 = spreads[(len(spreads)-1)/2]
		res.spreadP99 = spreads[(len(spreads)-1)*99/100]
		res.msgP50 = sizes[(len(sizes)-1)/2]
	}
	return delivered
}

// rss is the process's resident set size in bytes, from /proc/PID/status.
func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("rss: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("rss: no VmRSS in /proc/%d/status", pid)
}

// cpuTime is the process's user+system CPU from /proc/PID/stat (clock ticks of 10 ms,
// the USER_HZ Linux exports on every architecture Go supports).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cpu: %w", err)
	}
	// The command name (field 2) may hold spaces; the fields after its ')' are fixed.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("cpu: short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("cpu: bad /proc/%d/stat", pid)
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}
