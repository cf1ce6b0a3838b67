// Package hub fans pre-rendered bytes out to WebSocket subscribers grouped by topic
// (one topic per board variant). It never renders and never blocks on a slow client:
// each subscriber has a bounded queue, enqueue is non-blocking, and a subscriber
// whose queue is full is disconnected so it can reconnect and resync.
//
// Import rule: no internal package. It moves []byte and knows nothing of their meaning.
package hub
