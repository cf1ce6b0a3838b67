package hub

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// subscriber is the transport-independent core of one subscription: a bounded
// queue the hub fills without blocking, and an end status the hub sets when it
// wants the subscription to end (slow consumer, kick, shutdown). The WebSocket
// code (socket.go) is told of both through wake; the benchmarks drive the core
// directly, without a socket, so 10,000 subscribers fit in memory without 10,000
// sockets.
type subscriber struct {
	topic string // changed only by Move, under the hub's exclusive lock
	key   string
	stats socketStats

	// queue holds messages not yet written, oldest first. Only the hub sends on
	// it, always with a non-blocking send under the topic lock. A message is the
	// slice the caller published: every subscriber's queue shares its bytes.
	queue chan []byte

	// recheck asks the socket to run its credential check now (Hub.Recheck).
	recheck atomic.Bool

	// sock, set before the subscriber is shared, is the socket that writes the
	// queue out; nil for a subscriber without one.
	sock *socket

	// ended is set once, by end, when the hub ends the subscription. code and
	// reason are written before it and read only after it is seen set.
	once   sync.Once
	ended  atomic.Bool
	code   websocket.StatusCode
	reason string
}

func newSubscriber(topic, key string, queueSize int) *subscriber {
	s := &subscriber{
		topic: topic,
		key:   key,
		queue: make(chan []byte, queueSize),
	}
	s.stats.id = nextSocketID.Add(1)
	s.stats.since = time.Now()
	return s
}

// end asks the subscription to finish with the given close status. Only the
// first call counts; it never blocks, so the hub may call it under a lock.
func (s *subscriber) end(code websocket.StatusCode, reason string) bool {
	ended := false
	s.once.Do(func() {
		s.code, s.reason = code, reason
		s.ended.Store(true)
		ended = true
	})
	if ended {
		s.wake()
	}
	return ended
}

// offer enqueues msg without blocking and reports whether there was room.
func (s *subscriber) offer(msg []byte) bool {
	select {
	case s.queue <- msg:
		s.wake()
		return true
	default:
		return false
	}
}

// askRecheck makes the socket consult its credential check on its next turn.
func (s *subscriber) askRecheck() {
	s.recheck.Store(true)
	s.wake()
}

// wake tells the socket, if any, that there is work for it; it never blocks.
func (s *subscriber) wake() {
	if s.sock != nil {
		s.sock.kick()
	}
}
