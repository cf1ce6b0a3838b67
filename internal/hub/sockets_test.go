package hub

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// socketOf waits for the one socket with key and returns it.
func socketOf(t *testing.T, h *Hub, key string) SocketInfo {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		if ss := h.Sockets(key); len(ss) == 1 {
			return ss[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no single socket with key %q: %+v", key, h.Sockets(""))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSendAndMoveActOnOneSocket(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, func(r *http.Request, so *ServeOptions) {
		so.Addr, so.UserAgent = "192.0.2.7", "TV/1"
	})
	h.hub.Publish("a", nil, []byte("A0"))
	h.hub.Publish("b", nil, []byte("B0"))
	tv1 := h.dial(t, "topic=a&key=tv1", nil)
	tv2 := h.dial(t, "topic=a&key=tv2", nil)
	if got := read(t, tv1); got != "A0" {
		t.Fatalf("tv1 first message = %q", got)
	}
	if got := read(t, tv2); got != "A0" {
		t.Fatalf("tv2 first message = %q", got)
	}
	s1 := socketOf(t, h.hub, "tv1")
	if s1.Topic != "a" || s1.Addr != "192.0.2.7" || s1.UserAgent != "TV/1" || s1.Since.IsZero() || s1.LastWrite.IsZero() {
		t.Errorf("Sockets(tv1) = %+v", s1)
	}

	if !h.hub.Send(s1.ID, s1.Topic, []byte("identify")) {
		t.Fatal("Send to tv1 = false")
	}
	if got := read(t, tv1); got != "identify" {
		t.Errorf("tv1 got %q, want the control message", got)
	}

	if h.hub.Send(s1.ID, "b", []byte("x")) {
		t.Error("Send to a socket on another topic = true")
	}
	if err := h.hub.Move(s1.ID, "a", "b", []byte("frame|")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, tv1); got != "frame|B0" {
		t.Errorf("tv1 after Move got %q, want the frame and b's full state in one message", got)
	}
	h.hub.Publish("a", []byte("a1"), []byte("A1"))
	h.hub.Publish("b", []byte("b1"), []byte("B1"))
	if got := read(t, tv1); got != "b1" {
		t.Errorf("moved tv1 got %q, want b's diff only", got)
	}
	if got := read(t, tv2); got != "a1" {
		t.Errorf("tv2 got %q, want a's diff: nothing sent to tv1 reaches it", got)
	}
	if got := socketOf(t, h.hub, "tv1").Topic; got != "b" {
		t.Errorf("tv1 topic = %q, want b", got)
	}
	if h.hub.Subscribers("a") != 1 || h.hub.Subscribers("b") != 1 {
		t.Errorf("subscribers a=%d b=%d, want 1 and 1", h.hub.Subscribers("a"), h.hub.Subscribers("b"))
	}
	if err := h.hub.Move(s1.ID, "a", "b", nil); !errors.Is(err, ErrNoSocket) {
		t.Errorf("Move from a topic the socket left = %v, want ErrNoSocket", err)
	}
	if err := h.hub.Move(s1.ID, "b", "empty", nil); err == nil {
		t.Error("Move to a topic without state = nil, want an error")
	}
	if h.hub.Send(1<<62, "b", []byte("x")) {
		t.Error("Send to an unknown socket = true")
	}
}

// TestSocketThatStopsReadingShowsBusy: a peer that never reads never answers a
// ping, so its socket stays busy (the ping waits for its pong) until the write
// timeout (5 s here) cuts it: the screens page shows that as stale.
func TestSocketThatStopsReadingShowsBusy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{PingInterval: 20 * time.Millisecond, WriteTimeout: 5 * time.Second}, nil)
	h.hub.Publish("a", nil, []byte("A0"))
	dialReader(t, h, "topic=a&key=reader")
	_ = h.dial(t, "topic=a&key=stuck", nil) // never reads: never answers a ping

	deadline := time.Now().Add(waitTimeout)
	for {
		st, rd := socketOf(t, h.hub, "stuck"), socketOf(t, h.hub, "reader")
		if !st.Busy.IsZero() && time.Since(st.Busy) > 200*time.Millisecond && !rd.LastPong.IsZero() {
			if !st.LastPong.IsZero() {
				t.Errorf("stuck socket answered a ping: %+v", st)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stuck socket not busy: stuck %+v reader %+v", st, rd)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDeadPeerIsClosed: a peer that keeps its TCP connection open but stops
// answering (it never reads, so it never sends a pong) is closed after its first
// unanswered ping, within PingInterval + WriteTimeout, while a peer that answers
// stays subscribed.
func TestDeadPeerIsClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{PingInterval: 20 * time.Millisecond, WriteTimeout: 100 * time.Millisecond}, nil)
	h.hub.Publish("a", nil, []byte("A0"))
	dialReader(t, h, "topic=a&key=reader")
	_ = h.dial(t, "topic=a&key=dead", nil) // never reads: never answers a ping
	waitSubscribers(t, h.hub, "a", 2)

	waitFor(t, "the dead peer closed", func() bool { return len(h.hub.Sockets("dead")) == 0 })
	rd := socketOf(t, h.hub, "reader")
	if rd.LastPong.IsZero() {
		t.Errorf("answering socket has no pong: %+v", rd)
	}
	if n := h.hub.Subscribers("a"); n != 1 {
		t.Errorf("subscribers on a = %d, want 1 (the answering socket)", n)
	}
}

// TestDefaultPingIntervalKeepsProxiesOpen: the default ping interval stays under
// the 60s idle timeout of common proxies and load balancers, so an idle wall's
// socket is not cut by one.
func TestDefaultPingIntervalKeepsProxiesOpen(t *testing.T) {
	h := New(Options{})
	if got := h.opts.PingInterval; got <= 0 || got+h.opts.WriteTimeout > 60*time.Second {
		t.Errorf("default PingInterval %v + WriteTimeout %v, want a ping answered within 60s", got, h.opts.WriteTimeout)
	}
}

// dialReader opens a socket whose client reads (and so answers pings) until it
// closes.
func dialReader(t *testing.T, h *harness, query string) {
	t.Helper()
	c := h.dial(t, query, nil)
	go func() {
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}()
}
