package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// ErrClosed is returned by Serve (and Shutdown waits for it) once the hub has
// been closed: it accepts no new subscribers.
var ErrClosed = errors.New("hub: closed")

// Close statuses the hub sends. The page's script reconnects on every one of
// them except the 4xxx codes, where a fresh credential is needed first.
const (
	// StatusSlow (1013 "try again later") closes a subscriber whose queue was
	// full: it reconnects and resyncs from the full state.
	StatusSlow = websocket.StatusTryAgainLater
	// StatusRestart (1012) closes every socket on Close so pages reconnect
	// to the next process by themselves.
	StatusRestart = websocket.StatusServiceRestart
	// StatusUnauthorized (4001) closes a socket whose ServeOptions.Check
	// returned false, e.g. an expired session.
	StatusUnauthorized websocket.StatusCode = 4001
	// StatusKicked (4003) closes the sockets of a key passed to Kick, e.g. a
	// revoked device token.
	StatusKicked websocket.StatusCode = 4003
)

// Options configure a Hub.
type Options struct {
	// QueueSize is how many messages a subscriber may fall behind before it
	// is disconnected. Zero means 32.
	QueueSize int
	// WriteTimeout bounds every write and ping on a socket. Zero means 5s.
	WriteTimeout time.Duration
	// PingInterval is how often a socket is pinged. Zero means 50s. A peer that
	// stops answering is closed within PingInterval + WriteTimeout (the ping
	// waits for its pong under the write timeout). Each ping costs the server a
	// write, a pong read and two wake-ups per socket, so the default is as long
	// as liveness allows: the page needs no server traffic to stay up (the
	// browser answers pings itself; it reconnects on the socket's close event),
	// and 50s keeps a socket busy within the 60s idle timeout common to load
	// balancers and proxies (nginx's proxy_read_timeout, AWS ALB).
	PingInterval time.Duration
	// CheckInterval is how often ServeOptions.Check is consulted, on the first
	// ping tick after it elapsed. Zero means 5m. A credential revoked through the
	// server is kicked at once (Kick); the check is only the safety net for one
	// that ended behind its back (an expired session, another process), so it
	// need not cost a store read per socket per ping.
	CheckInterval time.Duration
	// Logger receives one line per abnormal disconnect. Nil means discard.
	Logger *slog.Logger
}

// Stats are counters for metrics.
type Stats struct {
	Subscribers int    // open subscriptions across all topics
	Topics      int    // topics holding state or subscribers
	Sent        uint64 // messages written to sockets
	KickedSlow  uint64 // subscribers disconnected because their queue was full
	Kicked      uint64 // sockets closed by Kick or by a failed Check
	Pings       uint64 // pings answered by a pong
}

// Hub fans messages out to subscribers grouped by topic. All methods are safe
// for concurrent use; none of them does network I/O while holding a lock.
type Hub struct {
	opts Options
	log  *slog.Logger

	// mu guards topics and closed. Lock order: mu, then a topic's mu.
	mu     sync.RWMutex
	topics map[string]*topic
	closed bool

	// serving counts Serve calls past registration, so Shutdown can wait
	// for their close frames to be written.
	serving sync.WaitGroup

	// runMu guards the run queue of sockets with work (writers.go): runq[runHead:]
	// waits, writers run.
	runMu      sync.Mutex
	runq       []*socket
	runHead    int
	writers    int
	maxWriters int
	writerFn   func() // h.writer, bound once: starting a writer allocates nothing

	subs       atomic.Int64
	sent       atomic.Uint64
	kickedSlow atomic.Uint64
	kicked     atomic.Uint64
	pings      atomic.Uint64
}

// topic is one board variant: its latest full state and its subscribers.
type topic struct {
	mu   sync.Mutex
	full []byte
	subs map[*subscriber]struct{}
}

// New returns a Hub with the zero options replaced by their defaults.
func New(opts Options) *Hub {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 32
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 5 * time.Second
	}
	if opts.PingInterval <= 0 {
		opts.PingInterval = 50 * time.Second
	}
	if opts.CheckInterval <= 0 {
		opts.CheckInterval = 5 * time.Minute
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Hub{opts: opts, log: log, topics: make(map[string]*topic), maxWriters: maxWriters()}
	h.writerFn = h.writer
	return h
}

// withTopic runs fn under the named topic's lock, creating the topic if
// needed. It returns ErrClosed after Close.
func (h *Hub) withTopic(name string, fn func(t *topic)) error {
	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		return ErrClosed
	}
	if t := h.topics[name]; t != nil {
		t.mu.Lock()
		fn(t)
		t.mu.Unlock()
		h.mu.RUnlock()
		return nil
	}
	h.mu.RUnlock()

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	t := h.topics[name]
	if t == nil {
		t = &topic{subs: make(map[*subscriber]struct{})}
		h.topics[name] = t
	}
	t.mu.Lock()
	fn(t)
	t.mu.Unlock()
	return nil
}

// Publish replaces the topic's full state with full and enqueues diff (if
// non-empty) to every current subscriber, without waiting for any of them: a
// subscriber whose queue is full is disconnected with StatusSlow so it
// reconnects and resyncs. An empty full clears the state, so newcomers wait
// for the next Publish. The hub keeps both slices: the caller must not modify
// them afterwards. Publish after Close does nothing.
func (h *Hub) Publish(topicName string, diff, full []byte) {
	_ = h.withTopic(topicName, func(t *topic) {
		t.full = full
		if len(diff) == 0 {
			return
		}
		for s := range t.subs {
			if !s.offer(diff) {
				h.dropSlowLocked(t, s)
			}
		}
	})
}

// subscribe registers a subscriber on topicName and enqueues the topic's full
// state as its first message, under the topic lock, so no Publish can fall
// between the state it starts from and the diffs it receives. A socket's
// subscriber (subscribePeer with a socket) is counted for Shutdown under the
// same lock that checks the hub is open, so Shutdown cannot miss it.
func (h *Hub) subscribe(topicName, key string) (*subscriber, error) {
	return h.subscribePeer(topicName, key, nil, "", "")
}

// subscribePeer is subscribe for socket k (nil: none), whose peer address and
// User-Agent Sockets reports.
func (h *Hub) subscribePeer(topicName, key string, k *socket, addr, ua string) (*subscriber, error) {
	s := newSubscriber(topicName, key, h.opts.QueueSize)
	s.stats.addr, s.stats.ua = addr, ua
	if k != nil {
		s.sock, k.s = k, s
	}
	err := h.withTopic(topicName, func(t *topic) {
		if k != nil {
			h.serving.Add(1)
		}
		t.subs[s] = struct{}{}
		h.subs.Add(1)
		if len(t.full) > 0 {
			s.offer(t.full) // the queue is new and empty: this cannot fail
		}
	})
	if err != nil {
		return nil, fmt.Errorf("hub: subscribe %q: %w", topicName, err)
	}
	return s, nil
}

// unsubscribe removes s from its topic. It is idempotent and safe after the
// hub removed s itself. The topic's state stays: see DropTopic.
func (h *Hub) unsubscribe(s *subscriber) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	t := h.topics[s.topic]
	if t == nil {
		return
	}
	t.mu.Lock()
	if _, ok := t.subs[s]; ok {
		delete(t.subs, s)
		h.subs.Add(-1)
	}
	t.mu.Unlock()
}

// DropTopic forgets the topic's full state if it has no subscribers, and
// reports whether it did. The hub never drops state by itself when the last
// subscriber leaves, because a page rendered just before that moment may
// subscribe just after it and must still start from the latest state; the
// live loop calls DropTopic for topics it stopped rendering (no longer in
// Topics), and must then treat the topic as new (publish every tile) if it
// comes back.
func (h *Hub) DropTopic(topicName string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[topicName]
	if t == nil {
		return false
	}
	t.mu.Lock()
	empty := len(t.subs) == 0
	t.mu.Unlock()
	if empty {
		delete(h.topics, topicName)
	}
	return empty
}

// Topics lists, sorted, the topics with at least one subscriber: the ones
// worth rendering.
func (h *Hub) Topics() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var names []string
	for name, t := range h.topics {
		t.mu.Lock()
		n := len(t.subs)
		t.mu.Unlock()
		if n > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Subscribers returns the number of subscribers of the topic.
func (h *Hub) Subscribers(topicName string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	t := h.topics[topicName]
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.subs)
}

// Stats returns the hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	topics := len(h.topics)
	h.mu.RUnlock()
	return Stats{
		Subscribers: int(h.subs.Load()),
		Topics:      topics,
		Sent:        h.sent.Load(),
		KickedSlow:  h.kickedSlow.Load(),
		Kicked:      h.kicked.Load(),
		Pings:       h.pings.Load(),
	}
}

// Kick closes every socket opened with ServeOptions.Key == key, with
// StatusKicked and reason (cut to the 123 bytes a close frame allows), and
// returns how many it closed. An empty key matches nothing.
func (h *Hub) Kick(key, reason string) int {
	if key == "" {
		return 0
	}
	reason = truncateReason(reason)
	n := 0
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, t := range h.topics {
		t.mu.Lock()
		for s := range t.subs {
			if s.key != key {
				continue
			}
			delete(t.subs, s)
			h.subs.Add(-1)
			if s.end(StatusKicked, reason) {
				n++
			}
		}
		t.mu.Unlock()
	}
	h.kicked.Add(uint64(n))
	return n
}

// Close refuses new subscribers and ends every subscription with
// StatusRestart (1012), so pages reconnect by themselves; http.Server.Shutdown
// does not touch hijacked connections, so the server must call this. It waits
// up to WriteTimeout+5s (the library's close handshake bound) for the close
// frames to be written; use Shutdown to choose the deadline.
func (h *Hub) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), h.opts.WriteTimeout+5*time.Second)
	defer cancel()
	_ = h.Shutdown(ctx)
}

// Shutdown is Close with the caller's deadline: it returns ctx.Err() if some
// sockets were still closing when ctx ended.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		for name, t := range h.topics {
			t.mu.Lock()
			for s := range t.subs {
				s.end(StatusRestart, "service restart")
			}
			h.subs.Add(-int64(len(t.subs)))
			t.subs = nil
			t.mu.Unlock()
			delete(h.topics, name)
		}
	}
	h.mu.Unlock()

	done := make(chan struct{})
	go func() {
		h.serving.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("hub: shutdown: %w", ctx.Err())
	}
}

// truncateReason cuts reason to the 123 bytes a close frame can carry,
// without splitting a UTF-8 sequence.
func truncateReason(reason string) string {
	const max = 123
	if len(reason) <= max {
		return reason
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(reason[cut]) {
		cut--
	}
	return reason[:cut]
}
