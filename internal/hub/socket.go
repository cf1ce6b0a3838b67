package hub

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// socket is one accepted WebSocket. It parks a single goroutine for its life,
// the reader (read), which the library needs to take pongs and close frames.
// Nothing parks to write: whoever gives the socket work (a queued message, an
// end, a recheck) calls kick, which puts the socket on the hub's run queue
// unless it is there or being written already; a writer (writers.go) then gives
// it a turn, doing all there is. A ping is the ping timer's own short-lived
// goroutine, and a close handshake one of its own, so neither holds a writer
// for a round trip.
//
// state orders the goroutines: at most one turn runs at a time, work signalled
// during a turn makes the socket go round again (no lost wake-up), and
// whichever of the reader, the turn (or the close that took it over) and the
// ping finishes last cleans up, exactly once.
type socket struct {
	h      *Hub
	s      *subscriber
	c      *websocket.Conn // set before sockOpen, read by the others after it
	topic  string          // as opened, for the log
	hello  func() []byte
	check  func() bool
	closed func()

	state   atomic.Int32
	closeFn func() // k.closeNow, bound once
	pingFn  func() // k.pingNow, the ping timer's callback, bound once
	ping    *time.Timer
	dl      *deadline

	// Turn state: turns run one at a time, each after the previous one's
	// release (state), so these need no lock.
	first    bool
	finished bool   // the socket failed or is closing: write nothing more
	why      string // why the turns finished, for the log

	lastCheck time.Time // the pinger's: pings run one at a time
	gone      string    // why the reader returned, for the log; the reader's
	pingWhy   string    // why the pinger closed the socket, for the log; the pinger's
}

// Bits of socket.state. It is zero before start and once the socket is done.
const (
	sockOpen    int32 = 1 << iota // the reader runs: kicks queue the socket
	sockRunning                   // the socket is queued or in its turn
	sockDirty                     // work was signalled since the turn last looked
	sockPinging                   // a ping is in progress
)

func newSocket(h *Hub, opts ServeOptions) *socket {
	k := &socket{h: h, topic: opts.Topic, hello: opts.Hello, check: opts.Check, closed: opts.Closed, first: true}
	k.closeFn = k.closeNow
	k.pingFn = k.pingNow
	return k
}

// start runs the accepted connection: from here on kicks queue the socket,
// and its first turn writes the full state queued at subscription.
func (k *socket) start(c *websocket.Conn) {
	k.c = c
	k.dl = newDeadline(k.h, c)
	k.lastCheck = time.Now()
	k.ping = time.AfterFunc(k.h.opts.PingInterval, k.pingFn)
	k.state.Store(sockOpen)
	go k.read()
	k.kick()
}

// read is the socket's one parked goroutine: it sits in the library's Reader,
// which answers pings and takes pongs and close frames, until the socket ends.
// The reader runs under context.Background so the library arms no timer per
// frame; closing the connection is what ends it. A data frame from the client
// closes the socket with 1008. Close runs here, not in a goroutine Close waits
// for: the library's CloseRead does the latter on a data frame and hangs for
// 15s (the pattern of coder/websocket#429).
func (k *socket) read() {
	_, _, err := k.c.Reader(context.Background())
	if err == nil {
		_ = k.c.Close(websocket.StatusPolicyViolation, "unexpected data message")
		k.gone = "unexpected data message"
	} else {
		k.gone = err.Error()
	}
	// A writer blocked on a peer that went away fails at once instead of at its
	// deadline.
	_ = k.c.CloseNow()
	k.leave(sockOpen)
}

// kick makes sure the socket gets a turn that looks at its work: it queues the
// socket unless it is queued or in its turn, which then goes round again. It
// never blocks, so the hub calls it under its locks. Before start and after the
// reader ended it does nothing: start kicks once, and an ended socket has
// nobody to write to.
func (k *socket) kick() {
	for {
		old := k.state.Load()
		next := old | sockDirty | sockRunning
		if old&sockOpen == 0 || next == old {
			return
		}
		if k.state.CompareAndSwap(old, next) {
			if old&sockRunning == 0 {
				k.h.ready(k)
			}
			return
		}
	}
}

// turn does all the socket's work, then gives up the running bit, or queues
// the socket again if more work was signalled meanwhile (the other sockets'
// turns come first). A close takes the running bit over instead.
func (k *socket) turn() {
	k.state.And(^sockDirty)
	if k.work() {
		return
	}
	if !k.release() {
		k.h.ready(k)
	}
}

// release gives up the running bit unless work was signalled since the turn
// last looked, and reports whether it did. The last one out cleans up.
func (k *socket) release() bool {
	for {
		old := k.state.Load()
		if old&(sockDirty|sockOpen) == sockDirty|sockOpen {
			return false
		}
		next := old &^ (sockRunning | sockDirty)
		if k.state.CompareAndSwap(old, next) {
			if next == 0 {
				k.cleanup()
			}
			return true
		}
	}
}

// work writes until there is nothing left to do, and reports whether it
// handed the running bit to a close. A pending end wins over a backlog: a
// kicked or restarting socket should hear its close status now, not after 32
// stale messages.
func (k *socket) work() (closing bool) {
	for !k.finished {
		switch {
		case k.s.ended.Load():
			k.finished = true
			go k.closeFn()
			return true
		case k.writeNext():
		case k.s.recheck.Swap(false):
			if k.check != nil && !k.check() {
				k.h.unauthorized(k.s)
			}
		default:
			return false
		}
	}
	return false
}

// closeNow sends the close status the hub chose and waits for the handshake,
// holding the running bit the turn handed it.
func (k *socket) closeNow() {
	k.why = k.h.closeWith(k.c, k.s.code, k.s.reason)
	_ = k.c.CloseNow()
	for !k.release() {
		k.state.And(^sockDirty) // finished: there is nothing more to do
	}
}

// writeNext writes the oldest queued message, if any, and reports whether
// there was one.
func (k *socket) writeNext() bool {
	var msg []byte
	select {
	case msg = <-k.s.queue:
	default:
		return false
	}
	if k.first && k.hello != nil {
		msg = appendHello(msg, k.hello())
	}
	k.first = false
	st := &k.s.stats
	now := time.Now()
	st.busy.Store(now.UnixNano())
	err := k.dl.write(now, msg)
	st.busy.Store(0)
	if err != nil {
		k.finished = true
		k.why = "write: " + err.Error()
		_ = k.c.CloseNow() // which ends the reader
		return true
	}
	st.lastWrite.Store(time.Now().UnixNano())
	k.h.sent.Add(1)
	return true
}

// pingNow runs on the ping timer's goroutine: it consults the credential check
// once CheckInterval has passed, pings and waits for the pong (a peer that
// keeps its TCP window open but no longer answers is cut off within the write
// timeout), then arms the next ping.
func (k *socket) pingNow() {
	if !k.enter(sockPinging) {
		return
	}
	ok := k.pingOnce()
	k.leave(sockPinging)
	if ok { // armed only now, so pings never overlap
		k.ping.Reset(k.h.opts.PingInterval)
	}
}

// pingOnce is pingNow's check and ping; it reports whether the socket lives on.
func (k *socket) pingOnce() bool {
	now := time.Now()
	if k.check != nil && now.Sub(k.lastCheck) >= k.h.opts.CheckInterval {
		k.lastCheck = now
		if !k.check() {
			k.h.unauthorized(k.s)
			return false
		}
	}
	st := &k.s.stats
	st.busy.Store(now.UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), k.h.opts.WriteTimeout)
	err := k.c.Ping(ctx)
	cancel()
	st.busy.Store(0)
	if err != nil {
		k.pingWhy = "ping: " + err.Error()
		_ = k.c.CloseNow() // which ends the reader
		return false
	}
	st.lastPong.Store(time.Now().UnixNano())
	k.h.pings.Add(1)
	return true
}

// enter sets bit while the socket is open and bit is clear, and reports
// whether it did.
func (k *socket) enter(bit int32) bool {
	for {
		old := k.state.Load()
		if old&sockOpen == 0 || old&bit != 0 {
			return false
		}
		if k.state.CompareAndSwap(old, old|bit) {
			return true
		}
	}
}

// leave clears bit; the last one out cleans up.
func (k *socket) leave(bit int32) {
	if k.state.And(^bit) == bit {
		k.cleanup()
	}
}

// cleanup runs once, when the reader, the turns, the close and the ping are
// done: the close frame, if any, has been written, so Shutdown may stop
// waiting for it, and once it does every socket's Closed has run.
func (k *socket) cleanup() {
	k.ping.Stop()
	k.dl.stop()
	k.h.unsubscribe(k.s)
	if k.closed != nil {
		k.closed()
	}
	k.h.serving.Done()
	k.h.log.Debug("hub: socket closed", "topic", k.topic, "why", k.why, "read", k.gone, "ping", k.pingWhy)
}
