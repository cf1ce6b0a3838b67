package hub

import "github.com/coder/websocket"

// What the server calls when what a topic shows, or who may watch it, changed under
// open sockets (a reloaded config, an edited board).

// EndTopic closes every subscriber of topicName with code and reason (cut like
// Kick's), forgets the topic's state, and returns how many sockets it closed. The
// server calls it when what a topic shows no longer exists (a removed board).
func (h *Hub) EndTopic(topicName string, code websocket.StatusCode, reason string) int {
	reason = truncateReason(reason)
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[topicName]
	if t == nil {
		return 0
	}
	n := 0
	t.mu.Lock()
	for s := range t.subs {
		delete(t.subs, s)
		h.subs.Add(-1)
		if s.end(code, reason) {
			n++
		}
	}
	t.mu.Unlock()
	delete(h.topics, topicName)
	h.kicked.Add(uint64(n))
	return n
}

// Recheck makes every open socket consult its ServeOptions.Check now instead of
// after CheckInterval, e.g. after the accounts changed (a removed user's sockets
// close within a moment). It never blocks.
func (h *Hub) Recheck() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, t := range h.topics {
		t.mu.Lock()
		for s := range t.subs {
			s.askRecheck()
		}
		t.mu.Unlock()
	}
}
