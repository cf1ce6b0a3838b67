package hub

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
)

// Buffer sizes of an upgraded socket. net/http hands a hijacked connection over
// with its own 4 KiB reader and a fresh 4 KiB writer, and the WebSocket library
// keeps both for the socket's life. A push-only socket reads only pongs and a
// close frame, so a small reader is plenty; the writer takes a typical diff
// (per-figure fragments, well under 2 KiB) and its frame header in one write.
const (
	socketReadBuffer  = 512
	socketWriteBuffer = 2 << 10
)

// smallBuffers is the ResponseWriter Serve gives the library: its Hijack
// returns the connection with smaller buffers, keeping any bytes the client sent
// after its handshake that net/http had already read.
type smallBuffers struct {
	http.ResponseWriter
	hj http.Hijacker
}

func withSmallBuffers(w http.ResponseWriter) http.ResponseWriter {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return w // the library answers 501 for a writer it cannot hijack
	}
	return smallBuffers{ResponseWriter: w, hj: hj}
}

func (s smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := s.hj.Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hub: hijack: %w", err)
	}
	// The library keeps only what is buffered in the reader it is given (it
	// resets the reader onto the raw connection), so the early bytes go into the
	// new reader's buffer, not behind it.
	size := socketReadBuffer
	var early []byte
	if n := brw.Reader.Buffered(); n > 0 {
		b, _ := brw.Reader.Peek(n)
		early = bytes.Clone(b)
		size = max(size, n)
	}
	br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(early), c), size)
	if len(early) > 0 {
		if _, err := br.Peek(len(early)); err != nil {
			return nil, nil, fmt.Errorf("hub: hijack: keep early bytes: %w", err)
		}
	}
	return c, bufio.NewReadWriter(br, bufio.NewWriterSize(c, socketWriteBuffer)), nil
}
