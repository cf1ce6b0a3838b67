package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// runBareServer is the reference: the smallest sensible coder/websocket push
// server (the library's chat example reduced to broadcast): a handler goroutine per
// socket with CloseRead, a buffered channel per socket, a write timeout per write,
// and one size-byte message to every socket each interval.
func runBareServer(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bare-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	every := fs.Duration("every", time.Second, "time between broadcasts")
	size := fs.Int("size", 1024, "bytes per broadcast")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := raiseFileLimit(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	subs := map[chan []byte]struct{}{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx := c.CloseRead(r.Context())
		q := make(chan []byte, 32)
		mu.Lock()
		subs[q] = struct{}{}
		mu.Unlock()
		defer func() { mu.Lock(); delete(subs, q); mu.Unlock() }()
		q <- []byte("full state")
		for {
			select {
			case msg := <-q:
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				err := c.Write(wctx, websocket.MessageText, msg)
				cancel()
				if err != nil {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintln(stdout, "listening on", ln.Addr())

	t := time.NewTicker(*every)
	defer t.Stop()
	for seq := 1; ; seq++ {
		select {
		case <-ctx.Done():
			return srv.Close()
		case <-t.C:
			// Each broadcast its own bytes (a sequence number first), as each of
			// ccdash's carries its clock: the probe tells broadcasts apart by content.
			msg := make([]byte, *size)
			copy(msg, strconv.Itoa(seq))
			mu.Lock()
			for q := range subs {
				select {
				case q <- msg:
				default:
				}
			}
			mu.Unlock()
		}
	}
}
