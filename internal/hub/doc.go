// Package hub fans pre-rendered bytes out to WebSocket subscribers grouped by topic
// (one topic per board variant). It never renders and never blocks on a slow client:
// each subscriber has a bounded queue, enqueue is non-blocking, and a subscriber
// whose queue is full is disconnected so it can reconnect and resync.
//
// A topic keeps its latest full state; a new subscriber gets it as its first
// message under the topic lock, then every diff published after it, in order.
// The state is kept when the last subscriber leaves (see DropTopic for why and
// for how the live loop forgets topics). Serve is the WebSocket lifecycle over
// that in-memory core; Close ends every socket with 1012 so pages reconnect.
//
// A socket parks one goroutine for its life, the reader the library needs for
// pongs and close frames (socket.go). Writing parks nothing: a queued message,
// an end or a recheck puts the socket on the hub's run queue, which a few
// short-lived writers empty and then exit (writers.go); a write stalled on a
// peer that stopped reading gets the rest of the queue a writer of its own. A
// ping is a per-socket timer whose goroutine pings and waits for the pong.
// Queues hold the published slices themselves, shared by every subscriber.

// One socket can also be addressed alone (sockets.go): Sockets lists them with their
// transport facts (peer, since, last write and pong, a write or ping in progress),
// Send queues a control message to one, and Move re-subscribes one to another topic
// without closing it, its next message being a caller's prefix plus that topic's
// full state — how a screen switches boards in place.
//
// Import rule: no internal package. It moves []byte and knows nothing of their meaning.
package hub
