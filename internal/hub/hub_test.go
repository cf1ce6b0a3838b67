package hub

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestFullStateFirstThenDiffsInOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		prePublish bool     // publish a state before the client subscribes
		want       []string // messages in order, the first with its hello
	}{
		{name: "topic has state", prePublish: true, want: []string{"F0<clock>", "d1", "d2", "d3", "d4", "d5"}},
		{name: "topic has no state yet", want: []string{"d1<clock>", "d2", "d3", "d4", "d5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Options{}, func(r *http.Request, so *ServeOptions) {
				so.Hello = func() []byte { return []byte("<clock>") }
			})
			if tt.prePublish {
				h.hub.Publish("b", []byte("d0"), []byte("F0"))
			}
			c := h.dial(t, "topic=b", nil)
			waitSubscribers(t, h.hub, "b", 1)
			for i := 1; i <= 5; i++ {
				h.hub.Publish("b", []byte("d"+strconv.Itoa(i)), []byte("F"+strconv.Itoa(i)))
			}
			for i, want := range tt.want {
				if got := read(t, c); got != want {
					t.Fatalf("message %d = %q, want %q", i, got, want)
				}
			}
		})
	}
}

// TestSubscribeRacingPublishes checks the gap-free handover: whenever a client
// subscribes, it starts from some version v (full state or first diff) and
// then sees every later version in order, ending at the latest.
func TestSubscribeRacingPublishes(t *testing.T) {
	t.Parallel()
	const clients = 8
	h := newHarness(t, Options{QueueSize: 1 << 14}, nil)

	var final atomic.Int64 // set just before the last version is published
	errs := make(chan error, clients)
	for i := range clients {
		go func() {
			time.Sleep(time.Duration(i) * 2 * time.Millisecond) // spread joins over the publishes
			errs <- followToLatest(h.wsURL("topic=race"), &final)
		}()
	}
	// Publish until every client has joined, then a little more.
	after := 0
	for v := int64(1); ; v++ {
		if len(errs) > 0 {
			break // a client already failed: report it below
		}
		if v > 1<<14 {
			t.Fatalf("clients not all subscribed after %d versions", v-1)
		}
		if h.hub.Subscribers("race") == clients {
			after++
		}
		if after == 50 {
			final.Store(v)
		}
		b := []byte(strconv.FormatInt(v, 10))
		h.hub.Publish("race", b, b)
		if after == 50 {
			break
		}
		time.Sleep(100 * time.Microsecond) // let the dials interleave with publishes
	}
	for range clients {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// followToLatest dials, then reads versions until the final one, returning an
// error if any version after the first is missing or out of order.
func followToLatest(u string, final *atomic.Int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer c.CloseNow()
	prev := int64(0)
	for prev == 0 || prev != final.Load() {
		_, b, err := c.Read(ctx)
		if err != nil {
			return fmt.Errorf("read after version %d: %w", prev, err)
		}
		v, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("message %q: %w", b, err)
		}
		if prev != 0 && v != prev+1 {
			return fmt.Errorf("got version %d after %d, want %d", v, prev, prev+1)
		}
		prev = v
	}
	return nil
}

// smallReadBuffer is a dial option with a fixed 256 KiB TCP receive buffer,
// so a client that stops reading backs the server up after a few MiB instead
// of the tens of MiB Linux autotuning would allow. (Much smaller buffers,
// below the loopback MSS, drop segments and make draining crawl.)
func smallReadBuffer() *websocket.DialOptions {
	d := &net.Dialer{}
	return &websocket.DialOptions{HTTPClient: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			_ = conn.(*net.TCPConn).SetReadBuffer(256 << 10)
			return conn, nil
		},
	}}}
}

// rawStuckClient completes a WebSocket handshake by hand and never reads.
func rawStuckClient(t *testing.T, h *harness, query string) net.Conn {
	t.Helper()
	u, err := url.Parse(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, waitTimeout)
	if err != nil {
		t.Fatalf("dial tcp: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	_ = conn.(*net.TCPConn).SetReadBuffer(256 << 10)
	req := "GET /?" + query + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatalf("write handshake: %v", err)
	}
	return conn
}

func TestStuckClientDoesNotDelayOthers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// stick connects a client that never reads; the returned func runs
		// after it was kicked.
		stick func(t *testing.T, h *harness) func(t *testing.T)
	}{
		{
			name: "websocket client never reads",
			stick: func(t *testing.T, h *harness) func(t *testing.T) {
				c := h.dial(t, "topic=b", smallReadBuffer())
				return func(t *testing.T) {
					// Reading again drains the backlog, then the close frame
					// must say "try again later" so the page resyncs.
					if got := readClose(t, c).Code; got != StatusSlow {
						t.Errorf("stuck client close status = %d, want %d", got, StatusSlow)
					}
				}
			},
		},
		{
			name: "raw TCP client never reads",
			stick: func(t *testing.T, h *harness) func(t *testing.T) {
				rawStuckClient(t, h, "topic=b")
				return func(t *testing.T) {}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, Options{QueueSize: 4, WriteTimeout: time.Minute}, nil)
			const healthy = 3
			got := make([]chan int, healthy)
			for i := range got {
				got[i] = make(chan int, 1)
				c := h.dial(t, "topic=b", nil)
				go func() {
					for {
						_, b, err := c.Read(context.Background())
						if err != nil {
							close(got[i])
							return
						}
						n, _ := strconv.Atoi(string(b[:8]))
						got[i] <- n
					}
				}()
			}
			after := tt.stick(t, h)
			waitSubscribers(t, h.hub, "b", healthy+1)

			pad := bytes.Repeat([]byte("x"), 256<<10)
			extra := 0
			for i := 1; extra < 3; i++ {
				if i > 500 {
					t.Fatalf("stuck client not kicked after %d diffs of %d KiB", i-1, len(pad)>>10)
				}
				h.hub.Publish("b", append([]byte(fmt.Sprintf("%08d", i)), pad...), nil)
				for j, ch := range got {
					select {
					case n := <-ch:
						if n != i {
							t.Fatalf("healthy client %d got diff %d, want %d", j, n, i)
						}
					case <-time.After(time.Second):
						t.Fatalf("healthy client %d waited over 1s for diff %d while another client was stuck", j, i)
					}
				}
				if h.hub.Stats().KickedSlow > 0 {
					extra++ // keep publishing: the others must not notice
				}
			}
			if got := h.hub.Stats().KickedSlow; got != 1 {
				t.Errorf("Stats().KickedSlow = %d, want 1", got)
			}
			if got := h.hub.Subscribers("b"); got != healthy {
				t.Errorf("Subscribers = %d, want %d", got, healthy)
			}
			after(t)
		})
	}
}

func TestJunkFrameClosesOnlyThatClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, nil)
	junk := h.dial(t, "topic=b", nil)
	good := h.dial(t, "topic=b", nil)
	waitSubscribers(t, h.hub, "b", 2)

	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := junk.Write(ctx, websocket.MessageText, []byte("hello?")); err != nil {
		t.Fatalf("write junk: %v", err)
	}
	if got := readClose(t, junk).Code; got != websocket.StatusPolicyViolation {
		t.Errorf("junk client close status = %d, want %d", got, websocket.StatusPolicyViolation)
	}
	waitSubscribers(t, h.hub, "b", 1)
	h.hub.Publish("b", []byte("d1"), []byte("F1"))
	if got := read(t, good); got != "d1" {
		t.Errorf("good client got %q, want %q", got, "d1")
	}
}

func TestCloseSendsServiceRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, nil)
	clients := []*websocket.Conn{
		h.dial(t, "topic=a", nil), h.dial(t, "topic=a", nil), h.dial(t, "topic=b", nil),
	}
	waitFor(t, "3 subscribers", func() bool { return h.hub.Stats().Subscribers == 3 })

	// Clients read while the hub closes, as browsers do, so the close
	// handshakes complete.
	type result struct {
		ce  websocket.CloseError
		err error
	}
	results := make([]chan result, len(clients))
	for i, c := range clients {
		results[i] = make(chan result, 1)
		go func() {
			ce, err := closeErr(c)
			results[i] <- result{ce, err}
		}()
	}
	h.hub.Close()
	for i, ch := range results {
		r := <-ch
		if r.err != nil {
			t.Errorf("client %d: %v", i, r.err)
		} else if r.ce.Code != websocket.StatusServiceRestart {
			t.Errorf("client %d close status = %d, want %d", i, r.ce.Code, websocket.StatusServiceRestart)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, h.wsURL("topic=a"), nil)
	if err == nil {
		t.Fatal("dial after Close succeeded, want refused")
	}
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after Close: response %v, want status 503", resp)
	}
}

func TestKickClosesOnlyThatKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, nil)
	revoked := []*websocket.Conn{h.dial(t, "topic=a&key=dev1", nil), h.dial(t, "topic=b&key=dev1", nil)}
	other := h.dial(t, "topic=a&key=dev2", nil)
	waitFor(t, "3 subscribers", func() bool { return h.hub.Stats().Subscribers == 3 })

	if got := h.hub.Kick("dev1", "device token revoked"); got != 2 {
		t.Errorf("Kick returned %d, want 2", got)
	}
	for i, c := range revoked {
		ce := readClose(t, c)
		if ce.Code != StatusKicked || ce.Reason != "device token revoked" {
			t.Errorf("kicked client %d closed with %d %q, want %d %q", i, ce.Code, ce.Reason, StatusKicked, "device token revoked")
		}
	}
	h.hub.Publish("a", []byte("d1"), []byte("F1"))
	if got := read(t, other); got != "d1" {
		t.Errorf("other key's client got %q, want %q", got, "d1")
	}
	if got := h.hub.Stats().Kicked; got != 2 {
		t.Errorf("Stats().Kicked = %d, want 2", got)
	}
}

// TestCheckFalseClosesOnNextPing: once CheckInterval has passed, the next ping
// tick consults Check, and a false closes that socket only.
func TestCheckFalseClosesOnNextPing(t *testing.T) {
	t.Parallel()
	var allowed atomic.Bool
	allowed.Store(true)
	h := newHarness(t, Options{PingInterval: 20 * time.Millisecond, CheckInterval: 20 * time.Millisecond}, func(r *http.Request, so *ServeOptions) {
		if r.URL.Query().Get("key") == "session" {
			so.Check = allowed.Load
		}
	})
	checked := h.dial(t, "topic=a&key=session", nil)
	unchecked := h.dial(t, "topic=a", nil)
	waitSubscribers(t, h.hub, "a", 2)

	allowed.Store(false)
	if ce := readClose(t, checked); ce.Code != StatusUnauthorized || ce.Reason != "unauthorized" {
		t.Errorf("closed with %d %q, want %d %q", ce.Code, ce.Reason, StatusUnauthorized, "unauthorized")
	}
	waitSubscribers(t, h.hub, "a", 1)
	h.hub.Publish("a", []byte("d1"), []byte("F1"))
	if got := read(t, unchecked); got != "d1" {
		t.Errorf("unchecked client got %q, want %q", got, "d1")
	}
}

// TestRecheckConsultsCheckAtOnce: with a check interval of an hour, Recheck still
// makes every socket ask its Check now, and only the one that fails is closed.
func TestRecheckConsultsCheckAtOnce(t *testing.T) {
	t.Parallel()
	var allowed atomic.Bool
	allowed.Store(true)
	h := newHarness(t, Options{CheckInterval: time.Hour}, func(r *http.Request, so *ServeOptions) {
		if r.URL.Query().Get("key") == "session" {
			so.Check = allowed.Load
		}
	})
	checked := h.dial(t, "topic=a&key=session", nil)
	other := h.dial(t, "topic=a", nil)
	waitSubscribers(t, h.hub, "a", 2)
	allowed.Store(false)
	h.hub.Recheck()
	if ce := readClose(t, checked); ce.Code != StatusUnauthorized {
		t.Errorf("closed with %d, want %d", ce.Code, StatusUnauthorized)
	}
	waitSubscribers(t, h.hub, "a", 1)
	h.hub.Publish("a", []byte("d1"), []byte("F1"))
	if got := read(t, other); got != "d1" {
		t.Errorf("the other client got %q, want %q", got, "d1")
	}
}

// TestEndTopicClosesOnlyThatTopic: EndTopic closes the topic's sockets with the
// code given and forgets its state; other topics stay.
func TestEndTopicClosesOnlyThatTopic(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, nil)
	gone := h.dial(t, "topic=a", nil)
	stays := h.dial(t, "topic=b", nil)
	waitSubscribers(t, h.hub, "a", 1)
	waitSubscribers(t, h.hub, "b", 1)
	if n := h.hub.EndTopic("a", StatusKicked, "board removed"); n != 1 {
		t.Errorf("EndTopic closed %d, want 1", n)
	}
	if ce := readClose(t, gone); ce.Code != StatusKicked || ce.Reason != "board removed" {
		t.Errorf("closed with %d %q, want %d %q", ce.Code, ce.Reason, StatusKicked, "board removed")
	}
	if slices.Contains(h.hub.Topics(), "a") || h.hub.DropTopic("a") {
		t.Error("topic a still known after EndTopic")
	}
	h.hub.Publish("b", []byte("d1"), []byte("F1"))
	if got := read(t, stays); got != "d1" {
		t.Errorf("topic b got %q, want %q", got, "d1")
	}
}

func TestTopicsAndDropTopic(t *testing.T) {
	t.Parallel()
	hb := New(Options{})
	defer hb.Close()
	a, err := hb.subscribe("a", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hb.subscribe("b", ""); err != nil {
		t.Fatal(err)
	}
	hb.Publish("c", []byte("d"), []byte("F")) // state without subscribers

	if got, want := fmt.Sprint(hb.Topics()), "[a b]"; got != want {
		t.Errorf("Topics() = %s, want %s", got, want)
	}
	if hb.DropTopic("a") {
		t.Error("DropTopic(a) with a subscriber dropped it, want kept")
	}
	hb.unsubscribe(a)
	hb.unsubscribe(a) // idempotent
	if got, want := fmt.Sprint(hb.Topics()), "[b]"; got != want {
		t.Errorf("Topics() after unsubscribe = %s, want %s", got, want)
	}

	late, err := hb.subscribe("c", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(<-late.queue); got != "F" {
		t.Errorf("late subscriber's first message = %q, want kept state %q", got, "F")
	}
	hb.unsubscribe(late)
	if !hb.DropTopic("c") {
		t.Error("DropTopic(c) without subscribers kept it, want dropped")
	}
	again, err := hb.subscribe("c", "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(again.queue); n != 0 {
		t.Errorf("subscriber after DropTopic has %d queued messages, want 0", n)
	}
	if got := hb.Stats(); got.Subscribers != 2 || got.Topics != 3 {
		t.Errorf("Stats() = %+v, want 2 subscribers on 3 topics", got)
	}
}

func TestTruncateReason(t *testing.T) {
	t.Parallel()
	long := string(bytes.Repeat([]byte("é"), 100)) // 200 bytes
	tests := []struct {
		name, in string
		wantLen  int
	}{
		{name: "short kept", in: "revoked", wantLen: 7},
		{name: "long cut on a rune boundary", in: long, wantLen: 122},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := len(truncateReason(tt.in)); got != tt.wantLen {
				t.Errorf("len(truncateReason) = %d, want %d", got, tt.wantLen)
			}
		})
	}
}

// TestNoGoroutineLeak is not parallel so the goroutine count is its own.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		h := New(Options{PingInterval: 10 * time.Millisecond})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = h.Serve(w, r, ServeOptions{Topic: "a"})
		}))
		defer srv.Close()
		defer h.Close()
		u := "ws" + srv.URL[len("http"):] + "/?topic=a"
		for i := range 6 {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			c, _, err := websocket.Dial(ctx, u, nil)
			cancel()
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			if i%2 == 0 {
				// Half leave by themselves, half are closed by the hub.
				defer c.Close(websocket.StatusNormalClosure, "")
			} else {
				go func() { _, _ = closeErr(c) }()
			}
		}
		waitSubscribers(t, h, "a", 6)
		h.Publish("a", []byte("d"), []byte("F"))
	}()
	waitFor(t, "goroutines to exit", func() bool { return runtime.NumGoroutine() <= before })
}

// TestCheckIsNotConsultedOnEveryPing: pings keep an idle socket alive without a
// credential look-up each; Check runs at most once per CheckInterval.
func TestCheckIsNotConsultedOnEveryPing(t *testing.T) {
	t.Parallel()
	var checks atomic.Int64
	h := newHarness(t, Options{PingInterval: 10 * time.Millisecond, CheckInterval: time.Hour}, func(r *http.Request, so *ServeOptions) {
		so.Check = func() bool { checks.Add(1); return true }
	})
	c := h.dial(t, "topic=a", nil)
	go func() { // the client's reader answers pings; count them as they arrive
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	waitSubscribers(t, h.hub, "a", 1)
	waitFor(t, "a few pings answered", func() bool { return h.hub.Stats().Pings >= 5 })
	if got := checks.Load(); got != 0 {
		t.Errorf("Check ran %d times within its interval, want 0", got)
	}
}
