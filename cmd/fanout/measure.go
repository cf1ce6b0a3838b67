package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// arrival is one message as one client saw it, on its gen-th connection. key is
// a hash of its bytes: one broadcast is the same bytes on every socket (rendered
// once, fanned out), and two broadcasts never are (each carries the server clock).
type arrival struct {
	at   time.Time
	size int
	gen  int
	key  uint64
}

// client is one reading socket (redialled when the server goes away) and what it
// received, in order.
type client struct {
	mu     sync.Mutex
	msgs   []arrival
	backAt []time.Time // when each connection delivered its first message
	shapes []shape     // what each connection's first message carried
	fails  []failure   // dials and handshakes that did not give a socket
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

// record keeps a, one message of data; a connection's first also gives its shape.
func (c *client) record(a arrival, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.msgs) == 0 || c.msgs[len(c.msgs)-1].gen != a.gen {
		c.backAt = append(c.backAt, a.at)
		c.shapes = append(c.shapes, shapeOf(data, a.key))
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
	delivered             int  // messages delivered in the window
	idle                  bool // the server had nothing to push
	// baseline is the process's CPU per second before any socket (idle runs: the
	// demo's simulator and timers), which cpuPerSocketPerSecond leaves out.
	baseline time.Duration
	storm    *stormResult
}

func (r result) print(w io.Writer) {
	if r.idle {
		fmt.Fprintf(w, "%s idle sockets=%d msgs-in-window=%d rss-per-socket-kb=%.1f idle-cpu-per-socket-per-s-us=%.2f process-baseline-cpu-ms-per-s=%.2f\n",
			r.name, r.sockets, r.delivered, r.rssPerSocket/1024, us(r.cpuPerSocketPerSecond), ms(r.baseline))
		return
	}
	fmt.Fprintf(w, "%s sockets=%d broadcasts=%d partial=%d spread-p50-ms=%.1f spread-p99-ms=%.1f msg-p50-bytes=%d rss-per-socket-kb=%.1f cpu-per-msg-us=%.1f cpu-per-socket-per-s-us=%.2f\n",
		r.name, r.sockets, r.broadcasts, r.partial, ms(r.spreadP50), ms(r.spreadP99), r.msgP50,
		r.rssPerSocket/1024, float64(r.cpuPerMsg)/float64(time.Microsecond), float64(r.cpuPerSocketPerSecond)/float64(time.Microsecond))
	if r.storm != nil {
		r.storm.print(w, r.name)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// idleSettle is how long an idle measurement waits before it starts, and how long
// it measures the process without sockets first.
const idleSettle = 10 * time.Second

// measure opens the sockets, waits until each has its first message (the full
// state), then watches every broadcast for o.duration.
func measure(ctx context.Context, s *server, o options) (result, error) {
	res := result{name: s.name, sockets: o.sockets, idle: o.idle}
	rss0, err := rss(s.pid())
	if err != nil {
		return res, err
	}
	if o.idle {
		// The process without sockets, once its start-up work is done.
		select {
		case <-time.After(idleSettle):
		case <-ctx.Done():
			return res, ctx.Err()
		}
		if res.baseline, err = cpuRate(ctx, s.pid(), o.duration); err != nil {
			return res, err
		}
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
	if o.idle {
		// Let the first poll's diff (ccdash polls once at start) reach everyone.
		select {
		case <-time.After(idleSettle):
		case <-ctx.Done():
			return res, ctx.Err()
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
	// A broadcast that began just before the window closed is still on its way to
	// the last sockets: keep reading a while, so "partial" counts only broadcasts
	// some socket really never got.
	select {
	case <-time.After(drainAfter):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	if o.storm {
		if res.storm, err = storm(ctx, s, clients); err != nil {
			return res, err
		}
	}
	cancel()
	wg.Wait()

	res.rssPerSocket = float64(rss1-rss0) / float64(o.sockets)
	delivered := summarize(&res, clients, start, start.Add(elapsed))
	res.delivered = delivered
	cpu := cpu1 - cpu0
	if delivered > 0 {
		res.cpuPerMsg = cpu / time.Duration(delivered)
	}
	if o.idle {
		cpu -= time.Duration(float64(res.baseline) * elapsed.Seconds())
	}
	res.cpuPerSocketPerSecond = time.Duration(float64(cpu) / float64(o.sockets) / elapsed.Seconds())
	return res, nil
}

// drainAfter is how long the clients keep reading after the measuring window, for
// broadcasts that began inside it: far above any spread measured (under 1 s at
// 10,000 sockets).
const drainAfter = 3 * time.Second

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
			h := fnv.New64a()
			_, _ = h.Write(data)
			c.record(arrival{at: time.Now(), size: len(data), gen: gen, key: h.Sum64()}, data)
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

// summarize groups every client's messages (after its full state) by content:
// one group is one broadcast, wherever it falls in each client's sequence (a
// socket that connected after a broadcast never sees it). It keeps the broadcasts
// that first arrived inside [from, to) and fills the spread and size figures;
// a broadcast some client missed counts as partial. It returns the number of
// messages delivered in the window.
func summarize(res *result, clients []*client, from, to time.Time) int {
	type broadcast struct {
		first, last time.Time
		n, size     int
	}
	seen := map[uint64]*broadcast{}
	for _, c := range clients {
		msgs := c.got()
		if len(msgs) > 0 {
			msgs = msgs[1:] // the full state is not a broadcast
		}
		for _, a := range msgs {
			b := seen[a.key]
			if b == nil {
				b = &broadcast{first: a.at, last: a.at, size: a.size}
				seen[a.key] = b
			}
			if a.at.Before(b.first) {
				b.first = a.at
			}
			if a.at.After(b.last) {
				b.last = a.at
			}
			b.n++
		}
	}
	var spreads []time.Duration
	var sizes []int
	delivered := 0
	for _, b := range seen {
		if b.first.Before(from) || !b.first.Before(to) {
			continue
		}
		delivered += b.n
		if b.n < len(clients) {
			res.partial++
			continue
		}
		res.broadcasts++
		spreads = append(spreads, b.last.Sub(b.first))
		sizes = append(sizes, b.size)
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

// cpuRate is the process's CPU per second over the next d.
func cpuRate(ctx context.Context, pid int, d time.Duration) (time.Duration, error) {
	c0, err := cpuTime(pid)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	c1, err := cpuTime(pid)
	return time.Duration(float64(c1-c0) / time.Since(start).Seconds()), err
}

// rss is the process's resident set size in bytes, from /proc/PID/status.
func rss(pid int) (int64, error) { return statusKB(pid, "VmRSS:") }

// cpuTime is the CPU the process's threads have run, summed from
// /proc/PID/task/*/schedstat (nanoseconds; /proc/PID/stat counts 10 ms ticks, too
// coarse to tell a microsecond per socket), or from /proc/PID/stat where
// schedstat is missing.
func cpuTime(pid int) (time.Duration, error) {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that just exited
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cpu: bad %s", t)
		}
		sum += time.Duration(ns)
	}
	if sum > 0 {
		return sum, nil
	}
	return statCPU(pid)
}

// statCPU is the process's user+system CPU from /proc/PID/stat (clock ticks of
// 10 ms, the USER_HZ Linux exports on every architecture Go supports).
func statCPU(pid int) (time.Duration, error) {
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
