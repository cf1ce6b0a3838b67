package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/coder/websocket"
)

// ServeOptions describe one WebSocket subscription.
type ServeOptions struct {
	// Topic is the board variant to subscribe to, an opaque string.
	Topic string
	// Key is an opaque credential key (e.g. a device token's id) so the
	// server can Kick every socket opened with it. Empty means not kickable.
	Key string
	// Accept is passed to websocket.Accept (OriginPatterns etc.). Nil means
	// the library defaults: same-origin only.
	Accept *websocket.AcceptOptions
	// Hello, if set, is called once per socket and its bytes are appended to
	// the first message (the full state), e.g. a fresh server-clock fragment.
	Hello func() []byte
	// Check, if set, is called on a ping tick once Options.CheckInterval has
	// passed since the last call; when it returns false the socket is closed
	// with StatusUnauthorized, e.g. after a session expired.
	Check func() bool
	// Addr and UserAgent describe the peer on the operator's screens page
	// (Sockets); they are copied, never read from the request later.
	Addr, UserAgent string
	// Closed, if set, is called once when the socket ends, or when Serve could
	// not open it: the socket outlives Serve, so a per-client slot the caller
	// holds for it is given back here.
	Closed func()
}

// Serve opens one push-only WebSocket: register on the topic (before the
// upgrade, so nothing published meanwhile is lost) and accept. The socket then
// lives on in the hub — full state, every diff, pings, and the close status the
// hub chose — and Serve returns at once: net/http then frees the request, its
// headers and the handler's deep stack, which a push-only socket would otherwise
// hold for the weeks a wall stays up. The socket parks one goroutine, its
// reader; writes run on short-lived goroutines while there is something to
// write (socket.go). A data frame from the client closes that socket with 1008
// (policy violation).
//
// Serve returns an error only when the socket could not be opened: ErrClosed
// after Close (it has answered 503), or the upgrade failed (Accept has
// answered). Nothing in opts may hold on to r. The end of an established
// socket is its normal life, not an error: it is logged at debug level.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, opts ServeOptions) error {
	k := newSocket(h, opts)
	s, err := h.subscribePeer(opts.Topic, opts.Key, k, opts.Addr, opts.UserAgent)
	if err != nil {
		opts.closed()
		w.Header().Set("Retry-After", "1")
		http.Error(w, "service restarting", http.StatusServiceUnavailable)
		return err
	}
	c, err := websocket.Accept(withSmallBuffers(w), r, opts.Accept)
	if err != nil {
		h.unsubscribe(s)
		h.serving.Done()
		opts.closed()
		return fmt.Errorf("hub: accept: %w", err)
	}
	k.start(c)
	return nil
}

func (o ServeOptions) closed() {
	if o.Closed != nil {
		o.Closed()
	}
}

// unauthorized ends s, whose credential no longer checks out, with 4001: its
// turn sends the close.
func (h *Hub) unauthorized(s *subscriber) {
	h.unsubscribe(s)
	if s.end(StatusUnauthorized, "unauthorized") {
		h.kicked.Add(1)
	}
}

// closeWith sends the close frame and waits (bounded by the library) for the
// handshake; a client too stuck to take it is cut off by the library.
func (h *Hub) closeWith(c *websocket.Conn, code websocket.StatusCode, reason string) string {
	if code == StatusSlow {
		h.log.Info("hub: slow subscriber disconnected", "reason", reason)
	}
	err := c.Close(code, reason)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Sprintf("closed %d %s: %v", code, reason, err)
	}
	return fmt.Sprintf("closed %d %s", code, reason)
}

// appendHello returns msg followed by hello in a new slice: msg is shared by
// every subscriber of the topic and must not be written to.
func appendHello(msg, hello []byte) []byte {
	if len(hello) == 0 {
		return msg
	}
	out := make([]byte, 0, len(msg)+len(hello))
	out = append(out, msg...)
	return append(out, hello...)
}
