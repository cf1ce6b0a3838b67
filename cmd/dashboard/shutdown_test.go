package main

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestShutdownRefusesRedialsWhileSocketsClose: on shutdown a wall hears 1012, and
// when it redials at once — while the server still waits on another socket's close
// handshake — the dial is refused (the port is closed), never answered 503 by a
// process on its way out: a failed handshake the page would count against its
// back-off. The other socket never reads, so it never answers its close frame.
func TestShutdownRefusesRedialsWhileSocketsClose(t *testing.T) {
	t.Parallel()
	a := startReloadApp(t, "boards:\n  - {id: floor, public: true}\n")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(a.base, "http") + "/ws?board=floor&view=wall"
	wall, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", ws, err)
	}
	defer wall.CloseNow()
	wall.SetReadLimit(4 << 20)
	if _, _, err := wall.Read(ctx); err != nil {
		t.Fatalf("full state: %v", err)
	}
	mute, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		t.Fatalf("dial the silent socket: %v", err)
	}
	defer mute.CloseNow()

	stopped := make(chan struct{})
	go func() { a.stop(); close(stopped) }()
	for {
		if _, _, err := wall.Read(ctx); err != nil {
			if got := websocket.CloseStatus(err); got != websocket.StatusServiceRestart {
				t.Fatalf("wall socket ended with %v (%v), want 1012", got, err)
			}
			break
		}
	}
	select {
	case <-stopped:
		t.Fatal("the server exited before the silent socket's close handshake timed out: the redial below would prove nothing")
	default:
	}
	_, resp, err := websocket.Dial(ctx, ws, nil)
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Errorf("redial during shutdown: %v (status %d), want connection refused", err, status)
	}
	<-stopped
}
