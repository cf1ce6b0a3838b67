package hub

import (
	"sync"
	"time"

	"github.com/coder/websocket"
)

// subscriber is the transport-independent core of one subscription: a bounded
// queue the hub fills without blocking, and a done channel the hub closes when
// it wants the subscription to end (slow consumer, kick, shutdown). The
// WebSocket code in serve.go is a thin loop over it, and the benchmarks drive it
// directly so 10,000 subscribers fit in memory without 10,000 sockets.
type subscriber struct {
	topic string // changed only by Move, under the hub's exclusive lock
	key   string
	stats socketStats

	// queue holds messages not yet written, oldest first. Only the hub sends on
	// it, always with a non-blocking send under the topic lock.
	queue chan []byte

	// recheck asks the socket to run its credential check now (Hub.Recheck);
	// capacity one, sent to without blocking.
	recheck chan struct{}

	// done is closed once, by end, when the hub ends the subscription. code and
	// reason are written before the close and read only after it, so the
	// channel close orders them.
	done   chan struct{}
	once   sync.Once
	code   websocket.StatusCode
	reason string
}

func newSubscriber(topic, key string, queueSize int) *subscriber {
	s := &subscriber{
		topic:   topic,
		key:     key,
		queue:   make(chan []byte, queueSize),
		recheck: make(chan struct{}, 1),
		done:    make(chan struct{}),
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
		close(s.done)
		ended = true
	})
	return ended
}

// offer enqueues msg without blocking and reports whether there was room.
func (s *subscriber) offer(msg []byte) bool {
	select {
	case s.queue <- msg:
		return true
	default:
		return false
	}
}
