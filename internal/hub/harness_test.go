package hub

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// waitTimeout bounds every wait in the tests; nothing here should take long,
// the bound only turns a hang into a failure.
const waitTimeout = 10 * time.Second

// harness is a hub behind a real HTTP server. Each request's query says which
// topic and key it subscribes with.
type harness struct {
	hub *Hub
	srv *httptest.Server
}

// newHarness starts a hub and server; extra, if set, adjusts each request's
// ServeOptions. Cleanup closes the hub first (sockets get 1012), then the server.
func newHarness(t *testing.T, opts Options, extra func(r *http.Request, so *ServeOptions)) *harness {
	t.Helper()
	h := &harness{hub: New(opts)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		so := ServeOptions{Topic: r.URL.Query().Get("topic"), Key: r.URL.Query().Get("key")}
		if extra != nil {
			extra(r, &so)
		}
		_ = h.hub.Serve(w, r, so)
	}))
	t.Cleanup(h.srv.Close)
	t.Cleanup(h.hub.Close)
	return h
}

func (h *harness) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/?" + query
}

// dial opens a real WebSocket client that accepts messages up to 4 MiB.
func (h *harness) dial(t *testing.T, query string, opts *websocket.DialOptions) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	c, _, err := websocket.Dial(ctx, h.wsURL(query), opts)
	if err != nil {
		t.Fatalf("dial %s: %v", query, err)
	}
	c.SetReadLimit(4 << 20)
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

// read returns the next text message, failing the test after waitTimeout.
func read(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("message type = %v, want text", typ)
	}
	return string(b)
}

// readClose reads (discarding messages) until the socket closes and returns
// the close error, failing the test after waitTimeout.
func readClose(t *testing.T, c *websocket.Conn) websocket.CloseError {
	t.Helper()
	ce, err := closeErr(c)
	if err != nil {
		t.Fatal(err)
	}
	return ce
}

// closeErr reads (discarding messages) until the socket closes and returns
// the close frame it got, or an error if it ended otherwise or after
// waitTimeout. Unlike readClose it may run in any goroutine.
func closeErr(c *websocket.Conn) (websocket.CloseError, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) {
			return ce, fmt.Errorf("read ended with %v, want a close frame", err)
		}
		return ce, nil
	}
}

// waitFor polls cond until it holds, failing the test after waitTimeout.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func waitSubscribers(t *testing.T, hb *Hub, topic string, want int) {
	t.Helper()
	waitFor(t, topic+" subscribers", func() bool { return hb.Subscribers(topic) == want })
}

// rawDial opens a WebSocket by hand: the upgrade request, then the 101 answer.
func rawDial(addr string) (net.Conn, *bufio.Reader, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	req := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, nil, err
	}
	br := bufio.NewReaderSize(c, 4096)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		c.Close()
		return nil, nil, fmt.Errorf("upgrade: %q %v", status, err)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		if line == "\r\n" {
			return c, br, nil
		}
	}
}

// rawFrame reads one unmasked server frame, its payload into buf (discarded
// when larger), and returns its opcode. It allocates nothing: the header is
// read into buf too (an array of its own would escape through io.ReadFull).
func rawFrame(br *bufio.Reader, buf []byte) (byte, error) {
	hdr := buf[:8]
	if _, err := io.ReadFull(br, hdr[:2]); err != nil {
		return 0, err
	}
	op, size := hdr[0]&0x0f, uint64(hdr[1]&0x7f)
	switch size {
	case 126:
		if _, err := io.ReadFull(br, hdr[:2]); err != nil {
			return 0, err
		}
		size = uint64(binary.BigEndian.Uint16(hdr[:2]))
	case 127:
		if _, err := io.ReadFull(br, hdr[:8]); err != nil {
			return 0, err
		}
		size = binary.BigEndian.Uint64(hdr[:8])
	}
	for size > 0 {
		k := min(size, uint64(len(buf)))
		if _, err := io.ReadFull(br, buf[:k]); err != nil {
			return 0, err
		}
		size -= k
	}
	return op, nil
}
