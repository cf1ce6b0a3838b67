package hub

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Writers. A socket with work is put on the hub's run queue, and a few
// short-lived writer goroutines take sockets off it and write. A goroutine per
// socket with work would do too, but a Publish readies every socket at once, so
// that is a stack per socket at every broadcast, and the runtime keeps the
// memory of that peak. A write that blocks (the peer stopped reading and its
// TCP window is full) must not hold the others up, though: its deadline timer
// notices a write taking longer than stallAfter, takes its writer off the count
// and starts another for the rest of the queue, and cuts the socket off after
// WriteTimeout.

// stallAfter is how long a write may take before the sockets queued behind it
// get a writer of their own. A write that has room in the kernel's buffer takes
// microseconds.
const stallAfter = 20 * time.Millisecond

// maxWriters is how many writers a hub runs without a stalled write: writes are
// CPU work (a syscall each), so a few per core keep every core busy.
func maxWriters() int { return max(8, 4*runtime.GOMAXPROCS(0)) }

// ready puts k, which holds the running bit, on the run queue and starts a
// writer if fewer than maxWriters run.
func (h *Hub) ready(k *socket) {
	h.runMu.Lock()
	if h.runHead > 256 && 2*h.runHead >= len(h.runq) { // never empty for long: reuse the front
		n := copy(h.runq, h.runq[h.runHead:])
		clear(h.runq[n:])
		h.runq, h.runHead = h.runq[:n], 0
	}
	h.runq = append(h.runq, k)
	start := h.claimWriterLocked()
	h.runMu.Unlock()
	if start {
		go h.writerFn()
	}
}

// help takes a writer stuck in a write off the count, so it holds no place
// another writer could have, and starts one if sockets wait. The stuck writer
// leaves once its turn is over (writer).
func (h *Hub) help() {
	h.runMu.Lock()
	h.writers--
	start := h.claimWriterLocked()
	h.runMu.Unlock()
	if start {
		go h.writerFn()
	}
}

// claimWriterLocked counts one more writer if sockets wait and fewer than
// maxWriters run, and reports whether the caller must start it; runMu is held.
func (h *Hub) claimWriterLocked() bool {
	if h.runHead == len(h.runq) || h.writers >= h.maxWriters {
		return false
	}
	h.writers++
	return true
}

// writer takes sockets off the run queue and gives each a turn until the queue
// is empty.
func (h *Hub) writer() {
	for {
		h.runMu.Lock()
		if h.runHead == len(h.runq) {
			h.runq, h.runHead = h.runq[:0], 0
			h.writers--
			h.runMu.Unlock()
			return
		}
		k := h.runq[h.runHead]
		h.runq[h.runHead] = nil
		h.runHead++
		h.runMu.Unlock()
		k.turn()
		if k.dl.stalled.Swap(false) {
			return // help took this writer, or one like it, off the count
		}
	}
}

// deadline bounds each write on one socket with a single timer made once per
// socket (writes run one at a time). The library sets up a context.AfterFunc
// (allocations and a timer) for every write whose context can be cancelled, so
// writes go out under context.Background and this timer acts instead: after
// stallAfter it lets the queue behind the write have another writer, after the
// write timeout it cuts the socket off. That keeps a delivered message free of
// allocations (BenchmarkDeliver).
type deadline struct {
	h       *Hub
	c       *websocket.Conn
	timeout time.Duration
	since   atomic.Int64 // when the write in progress began, unix ns; 0: none
	stalled atomic.Bool  // help took a writer off the count for this socket
	timer   *time.Timer
}

func newDeadline(h *Hub, c *websocket.Conn) *deadline {
	d := &deadline{h: h, c: c, timeout: h.opts.WriteTimeout}
	d.timer = time.AfterFunc(time.Hour, d.fire)
	d.timer.Stop()
	return d
}

func (d *deadline) write(now time.Time, msg []byte) error {
	d.since.Store(now.UnixNano())
	d.timer.Reset(min(stallAfter, d.timeout))
	err := d.c.Write(context.Background(), websocket.MessageText, msg)
	d.since.Store(0)
	d.timer.Stop()
	return err
}

// fire runs on the timer. It may run late, after the write it was armed for:
// it judges whatever write is in progress now, by its start.
func (d *deadline) fire() {
	since := d.since.Load()
	if since == 0 {
		return
	}
	took := time.Since(time.Unix(0, since))
	if took >= d.timeout {
		_ = d.c.CloseNow()
		return
	}
	if took >= stallAfter && !d.stalled.Swap(true) {
		d.h.help()
	}
	d.timer.Reset(d.timeout - took)
}

func (d *deadline) stop() { d.timer.Stop() }
