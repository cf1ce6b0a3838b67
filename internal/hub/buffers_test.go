package hub

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestEarlyFrameAfterHandshakeIsRead: a client that sends a data frame in the
// same packet as its upgrade request has those bytes read by net/http already;
// the smaller buffers Serve swaps in must keep them, so the hub sees the frame
// and closes that socket with 1008 as it does for any data frame.
func TestEarlyFrameAfterHandshakeIsRead(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{}, nil)
	addr := strings.TrimPrefix(h.srv.URL, "http://")
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	req := "GET /?topic=a HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	frame := []byte{0x81, 0x80 | 2, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2} // masked text "hi"
	if _, err := c.Write(append([]byte(req), frame...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		if line == "\r\n" {
			break
		}
	}
	for { // skip data frames (the topic has no state yet, so there should be none) up to the close
		var hdr [2]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			t.Fatalf("no close frame: %v", err)
		}
		payload := make([]byte, hdr[1]&0x7f)
		if _, err := io.ReadFull(br, payload); err != nil {
			t.Fatal(err)
		}
		if hdr[0]&0x0f == 0x8 {
			if code := binary.BigEndian.Uint16(payload); code != 1008 {
				t.Fatalf("closed with %d, want 1008 for the early data frame", code)
			}
			return
		}
	}
}
