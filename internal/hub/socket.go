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
// end, a recheck, a due ping) calls kick, which starts a writer goroutine (drain)
// unless one runs; the writer does all there is, then exits. A wall gets a diff
// a second or less, so most of the time a socket holds no writer and no stack
// for one; a peer that stops reading holds only its own writer, which the
// per-socket deadline cuts off after WriteTimeout.
//
// state orders the goroutines: at most one writer runs at a time, work
// signalled while one runs makes it look again before it exits (no lost
// wake-up), and whichever of the reader and the last writer finishes second
// cleans up, exactly once.
type socket struct {
	h      *Hub
	s      *subscriber
	c      *websocket.Conn // set before sockOpen, read by writers after it
	topic  string          // as opened, for the log
	hello  func() []byte
	check  func() bool
	closed func()

	state   atomic.Int32
	drainFn func() // k.drain, bound once: starting a writer allocates nothing
	pingFn  func() // the ping timer's callback, bound once
	ping    *time.Timer
	pingDue atomic.Bool
	dl      *deadline

	// Writer state: writers run one at a time, each after the previous one's
	// release (state), so these need no lock.
	first     bool
	finished  bool // the socket failed or was closed: write nothing more
	lastCheck time.Time
	why       string // why the writer finished, for the log

	gone string // why the reader returned, for the log; written by the reader
}

// Bits of socket.state.
const (
	sockOpen    int32 = 1 << iota // the reader runs: kicks start writers
	sockRunning                   // a writer runs
	sockDirty                     // work was signalled since the writer last looked
)

func newSocket(h *Hub, opts ServeOptions) *socket {
	k := &socket{h: h, topic: opts.Topic, hello: opts.Hello, check: opts.Check, closed: opts.Closed, first: true}
	k.drainFn = k.drain
	k.pingFn = func() {
		k.pingDue.Store(true)
		k.kick()
	}
	return k
}

// start runs the accepted connection: from here on kicks start writers, and
// the first one writes the full state queued at subscription.
func (k *socket) start(c *websocket.Conn) {
	k.c = c
	k.dl = newDeadline(c, k.h.opts.WriteTimeout)
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
	if k.state.And(^sockOpen)&sockRunning == 0 {
		k.cleanup()
	}
}

// kick makes sure a writer will look at the socket's work: it starts one
// unless one runs, which then looks again before it exits. It never blocks, so
// the hub calls it under its locks. Before start and after the reader ended it
// does nothing: start kicks once, and an ended socket has nobody to write to.
func (k *socket) kick() {
	for {
		old := k.state.Load()
		next := old | sockDirty | sockRunning
		if old&sockOpen == 0 || next == old {
			return
		}
		if k.state.CompareAndSwap(old, next) {
			if old&sockRunning == 0 {
				go k.drainFn()
			}
			return
		}
	}
}

// drain is a writer's turn: it does all the socket's work, again while more is
// signalled, then exits.
func (k *socket) drain() {
	for {
		k.state.And(^sockDirty)
		k.work()
		if k.release() {
			return
		}
	}
}

// release ends the writer's turn unless work was signalled since it last
// looked, and reports whether it ended it. The writer that ends last, after the
// reader, cleans up.
func (k *socket) release() bool {
	for {
		old := k.state.Load()
		if old&(sockDirty|sockOpen) == sockDirty|sockOpen {
			return false
		}
		next := old &^ (sockRunning | sockDirty)
		if k.state.CompareAndSwap(old, next) {
			if next&sockOpen == 0 {
				k.cleanup()
			}
			return true
		}
	}
}

// work writes until there is nothing left to do. A pending end wins over a
// backlog: a kicked or restarting socket should hear its close status now, not
// after 32 stale messages.
func (k *socket) work() {
	for !k.finished {
		switch {
		case k.s.ended.Load():
			k.finish(k.h.closeWith(k.c, k.s.code, k.s.reason))
		case k.writeNext():
		case k.s.recheck.Swap(false):
			if k.check != nil && !k.check() {
				k.finish(k.h.unauthorized(k.c, k.s))
			}
		case k.pingDue.Swap(false):
			k.pingNow()
		default:
			return
		}
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
	st.busy.Store(time.Now().UnixNano())
	err := k.dl.write(msg)
	st.busy.Store(0)
	if err != nil {
		k.finish("write: " + err.Error())
		return true
	}
	st.lastWrite.Store(time.Now().UnixNano())
	k.h.sent.Add(1)
	return true
}

// pingNow consults the credential check once CheckInterval has passed, pings
// and waits for the pong, then arms the next ping.
func (k *socket) pingNow() {
	now := time.Now()
	if k.check != nil && now.Sub(k.lastCheck) >= k.h.opts.CheckInterval {
		k.lastCheck = now
		if !k.check() {
			k.finish(k.h.unauthorized(k.c, k.s))
			return
		}
	}
	st := &k.s.stats
	st.busy.Store(now.UnixNano())
	err := k.dl.ping()
	st.busy.Store(0)
	if err != nil {
		k.finish("ping: " + err.Error())
		return
	}
	st.lastPong.Store(time.Now().UnixNano())
	k.h.pings.Add(1)
	k.ping.Reset(k.h.opts.PingInterval)
}

// finish stops the writing for good and closes the connection, which ends the
// reader: after a failed write or ping the socket is of no use, and after a
// close handshake the connection is closed already.
func (k *socket) finish(why string) {
	k.finished = true
	k.why = why
	_ = k.c.CloseNow()
}

// cleanup runs once, when the reader and every writer are done: the close
// frame, if any, has been written, so Shutdown may stop waiting for it, and
// once it does every socket's Closed has run.
func (k *socket) cleanup() {
	k.ping.Stop()
	k.dl.stop()
	k.h.unsubscribe(k.s)
	if k.closed != nil {
		k.closed()
	}
	k.h.serving.Done()
	k.h.log.Debug("hub: socket closed", "topic", k.topic, "why", k.why, "read", k.gone)
}
