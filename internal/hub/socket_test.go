package hub

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestIdleSocketParksOneGoroutine: an open socket with nothing to write holds
// one goroutine, its reader; the writer a Publish starts exits once it has
// written. Not parallel: the goroutine count is its own.
func TestIdleSocketParksOneGoroutine(t *testing.T) {
	const n = 50
	if err := raiseFileLimit(2*n + 256); err != nil {
		t.Fatalf("cannot open %d sockets: %v", n, err)
	}
	h := New(Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = h.Serve(w, r, ServeOptions{Topic: "a"})
	}))
	defer srv.Close()
	defer h.Close()
	h.Publish("a", nil, []byte("F"))

	before := runtime.NumGoroutine()
	readers := make([]*bufio.Reader, n)
	for i := range readers {
		conn, br, err := rawDial(srv.Listener.Addr().String())
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		defer conn.Close()
		readers[i] = br
	}
	buf := make([]byte, 1<<10)
	readAll := func(what string) {
		t.Helper()
		for i, br := range readers {
			if op, err := rawFrame(br, buf); err != nil || op != 0x1 {
				t.Fatalf("socket %d, %s: opcode %#x, %v; want a text message", i, what, op, err)
			}
		}
	}
	parked := func() bool { return runtime.NumGoroutine()-before <= n }

	readAll("full state")
	waitFor(t, fmt.Sprintf("%d open sockets to park at most %d goroutines", n, n), parked)
	h.Publish("a", []byte("d"), []byte("F"))
	readAll("diff")
	waitFor(t, "the writers of a publish to exit", parked)
	if got := h.Subscribers("a"); got != n {
		t.Errorf("subscribers = %d, want %d: sockets closed", got, n)
	}
}

// TestKickDuringReleaseKeepsTheTurn is the lost wake-up: work signalled after
// the turn last looked, before it gives up the running bit, must make the
// socket go round again, or the message waits in the queue until some later
// one. A kick queues the socket only when it is neither queued nor in its turn.
func TestKickDuringReleaseKeepsTheTurn(t *testing.T) {
	t.Parallel()
	h := New(Options{})
	h.maxWriters = 0 // no writer takes the socket off the run queue: the test plays the writer
	k := newSocket(h, ServeOptions{})
	queued := func() int { return len(h.runq) - h.runHead }
	k.kick()
	if k.state.Load() != 0 || queued() != 0 {
		t.Fatalf("a kick before start: state %b, %d queued", k.state.Load(), queued())
	}
	k.state.Store(sockOpen)
	k.kick()
	k.kick()
	if got := k.state.Load(); got != sockOpen|sockRunning|sockDirty || queued() != 1 {
		t.Fatalf("two kicks on an idle socket: state %b, %d queued, want it queued once", got, queued())
	}
	k.state.And(^sockDirty) // the turn looks at the work...
	k.kick()                // ...and a message comes after its last look
	if k.release() {
		t.Fatal("the turn gave up the running bit with a wake-up pending")
	}
	k.state.And(^sockDirty) // it goes round again and finds nothing more
	if !k.release() || k.state.Load() != sockOpen || queued() != 1 {
		t.Fatalf("release after the last look: state %b, %d queued; want open, idle, queued once", k.state.Load(), queued())
	}
}

// TestConcurrentWakesLoseNoMessage: publishes and rechecks racing a writer
// that ends its turn never strand a message (with no pings to wake the socket,
// a stranded last message never arrives), and each publisher's messages arrive
// in its order. Run it with -race.
func TestConcurrentWakesLoseNoMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{QueueSize: 1 << 13}, func(r *http.Request, so *ServeOptions) {
		so.Check = func() bool { return true }
	})
	h.hub.Publish("a", nil, []byte("F"))
	c := h.dial(t, "topic=a", nil)
	if got := read(t, c); got != "F" {
		t.Fatalf("first message = %q, want the full state", got)
	}
	const publishers, each = 4, 500
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				h.hub.Publish("a", fmt.Appendf(nil, "%d %d", p, i), []byte("F"))
				if i%16 == 0 {
					h.hub.Recheck()
					time.Sleep(50 * time.Microsecond) // let the writer run dry and end its turn
				}
			}
		})
	}
	next := make([]int, publishers)
	for range publishers * each {
		var p, i int
		if _, err := fmt.Sscanf(read(t, c), "%d %d", &p, &i); err != nil {
			t.Fatalf("message: %v", err)
		}
		if i != next[p] {
			t.Fatalf("publisher %d: got message %d, want %d", p, i, next[p])
		}
		next[p]++
	}
	wg.Wait()
	if got := h.hub.Stats(); got.Sent != publishers*each+1 || got.KickedSlow != 0 {
		t.Errorf("Stats() = %+v, want %d sent and none kicked", got, publishers*each+1)
	}
}

// TestEveryEndRunsClosedOnce: however a socket ends — the client leaves, a
// kick, its topic ending, a full queue, a restart — its Closed callback runs
// exactly once, and by the time Close returns.
func TestEveryEndRunsClosedOnce(t *testing.T) {
	t.Parallel()
	keys := []string{"leaves", "kicked", "ended", "slow", "restart"}
	closed := map[string]*atomic.Int32{}
	for _, k := range keys {
		closed[k] = new(atomic.Int32)
	}
	h := newHarness(t, Options{QueueSize: 2}, func(r *http.Request, so *ServeOptions) {
		n := closed[so.Key]
		so.Closed = func() { n.Add(1) }
	})
	h.hub.Publish("a", nil, []byte("F"))
	h.hub.Publish("e", nil, []byte("F"))
	conns := map[string]*websocket.Conn{}
	for _, k := range keys {
		topic := "a"
		if k == "ended" {
			topic = "e"
		}
		conns[k] = h.dial(t, "topic="+topic+"&key="+k, nil)
		if got := read(t, conns[k]); got != "F" {
			t.Fatalf("%s: first message %q, want the full state", k, got)
		}
	}
	waitSubscribers(t, h.hub, "a", len(keys)-1)

	if err := conns["leaves"].Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Errorf("client close: %v", err)
	}
	if n := h.hub.Kick("kicked", "revoked"); n != 1 {
		t.Errorf("Kick closed %d sockets, want 1", n)
	}
	if n := h.hub.EndTopic("e", StatusRestart, "board removed"); n != 1 {
		t.Errorf("EndTopic closed %d sockets, want 1", n)
	}
	slow := socketOf(t, h.hub, "slow")
	for i := 0; h.hub.Send(slow.ID, "a", make([]byte, 1<<10)); i++ {
		if i > 1<<16 {
			t.Fatal("a socket whose client does not read took every message")
		}
	}
	for _, k := range []string{"kicked", "ended", "slow"} {
		go func() { _, _ = closeErr(conns[k]) }()
	}
	go func() { _, _ = closeErr(conns["restart"]) }()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := h.hub.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for _, k := range keys {
		if got := closed[k].Load(); got != 1 {
			t.Errorf("%s: Closed ran %d times, want 1", k, got)
		}
	}
}

// TestStalledWriteGetsHelp: with a single writer allowed, a write blocked on a
// peer that stopped reading does not hold up the other sockets: the stalled
// write's deadline starts another writer for them.
func TestStalledWriteGetsHelp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{WriteTimeout: time.Minute}, nil)
	h.hub.maxWriters = 1
	healthy := h.dial(t, "topic=b&key=healthy", nil)
	rawStuckClient(t, h, "topic=b&key=stuck")
	waitSubscribers(t, h.hub, "b", 2)

	pad := make([]byte, 256<<10)
	for i := range 64 { // far more than the stuck peer's socket buffers take
		h.hub.Publish("b", append(fmt.Appendf(nil, "%08d", i), pad...), nil)
		if got := read(t, healthy)[:8]; got != fmt.Sprintf("%08d", i) {
			t.Fatalf("healthy client got diff %s, want %d", got, i)
		}
	}
	if got := h.hub.Stats().KickedSlow; got != 1 {
		t.Errorf("Stats().KickedSlow = %d, want 1: the stuck peer's queue never filled", got)
	}
}
