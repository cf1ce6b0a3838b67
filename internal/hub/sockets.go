package hub

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// SocketInfo describes one open subscription for the operator's screens page. The
// hub knows transport facts only (when, from where, how its writes go); what the
// topic and key mean is the caller's.
type SocketInfo struct {
	ID        uint64
	Key       string
	Topic     string
	Addr      string
	UserAgent string
	Since     time.Time
	// LastWrite is when the last message was written (zero: none yet); LastPong when
	// the last ping was answered (zero: none yet).
	LastWrite, LastPong time.Time
	// Busy is when the write or ping in progress began, zero when none is: a socket
	// busy for long has a peer that stopped reading.
	Busy time.Time
	// Queued is how many messages wait to be written.
	Queued int
}

var nextSocketID atomic.Uint64

// ErrNoSocket is Move's answer for a socket that is not (or no longer) on the topic
// it was said to be on: it closed, or another Move took it first.
var ErrNoSocket = errors.New("hub: no such socket on that topic")

// socketStats are one subscriber's transport facts, written by its writer with atomic
// stores (no allocation on the delivery path) and read by Sockets.
type socketStats struct {
	id        uint64
	addr, ua  string
	since     time.Time
	lastWrite atomic.Int64 // unix nanoseconds
	lastPong  atomic.Int64
	busy      atomic.Int64
}

func unixTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// Sockets lists the open subscriptions whose key starts with keyPrefix ("" for all),
// in no particular order. It allocates the list; it is for pages and scrapes, not
// for the delivery path.
func (h *Hub) Sockets(keyPrefix string) []SocketInfo {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []SocketInfo
	for name, t := range h.topics {
		t.mu.Lock()
		for s := range t.subs {
			if !strings.HasPrefix(s.key, keyPrefix) {
				continue
			}
			out = append(out, SocketInfo{
				ID: s.stats.id, Key: s.key, Topic: name, Addr: s.stats.addr, UserAgent: s.stats.ua,
				Since:     s.stats.since,
				LastWrite: unixTime(s.stats.lastWrite.Load()), LastPong: unixTime(s.stats.lastPong.Load()),
				Busy: unixTime(s.stats.busy.Load()), Queued: len(s.queue),
			})
		}
		t.mu.Unlock()
	}
	return out
}

// findLocked returns the subscriber with id on topicName (as Sockets reported it:
// looking in one topic keeps this cheap however many sockets the hub holds) and
// that topic; h.mu must be held.
func (h *Hub) findLocked(id uint64, topicName string) (*subscriber, *topic) {
	t := h.topics[topicName]
	if t == nil {
		return nil, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for s := range t.subs {
		if s.stats.id == id {
			return s, t
		}
	}
	return nil, nil
}

// Send enqueues msg to the one socket id on topicName (a control message: identify,
// reload), without waiting: a full queue disconnects it like Publish does. It
// reports whether the socket was found there and took the message.
func (h *Hub) Send(id uint64, topicName string, msg []byte) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, t := h.findLocked(id, topicName)
	if s == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.subs[s]; !ok {
		return false
	}
	if s.offer(msg) {
		return true
	}
	h.dropSlowLocked(t, s)
	return false
}

// Move re-subscribes socket id from topic from to topicName without closing it: the socket's next
// message is prefix followed by the new topic's full state (one message, so the page
// swaps the new content in one go), then the new topic's diffs. A board switch on a
// screen is this: the page keeps its one socket and never reloads. The new topic
// must hold a state (the caller renders it first), or the socket would wait for its
// next Publish with the old page on screen; Move refuses such a topic.
func (h *Hub) Move(id uint64, from, topicName string, prefix []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	dst := h.topics[topicName]
	if dst == nil || len(dst.full) == 0 {
		return fmt.Errorf("hub: move to %q: the topic has no state", topicName)
	}
	s, src := h.findLocked(id, from)
	if s == nil {
		return ErrNoSocket
	}
	if src == dst {
		return nil
	}
	// The exclusive h.mu keeps every Publish out (they hold it shared), so the
	// subscriber changes topics between two publishes: diffs of the old topic
	// already queued come before the new full state, which replaces them.
	delete(src.subs, s)
	s.topic = topicName
	dst.subs[s] = struct{}{}
	msg := make([]byte, 0, len(prefix)+len(dst.full))
	msg = append(append(msg, prefix...), dst.full...)
	if !s.offer(msg) {
		h.dropSlowLocked(dst, s)
	}
	return nil
}

// dropSlowLocked ends s, whose queue is full, as Publish does; t's lock is held.
func (h *Hub) dropSlowLocked(t *topic, s *subscriber) {
	delete(t.subs, s)
	h.subs.Add(-1)
	if s.end(StatusSlow, "slow consumer") {
		h.kickedSlow.Add(1)
	}
}
