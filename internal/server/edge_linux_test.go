//go:build linux

package server

import (
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSlowConnectionsDoNotStopHealthz: 3,000 connections that never finish their
// headers, from one address, while the process may open only a few hundred files
// more: the per-address limit closes all but max_conns_per_ip of them at accept, so
// descriptors remain and /healthz answers from another address. Before, the server
// took them all and then stopped accepting (accept4: too many open files).
//
// Not parallel: it lowers the process's open-file limit, which no other test may
// see (parallel tests start after every sequential one has finished).
func TestSlowConnectionsDoNotStopHealthz(t *testing.T) {
	const slow = 3000
	e := newAuthEnv(t, func(o *Options) {
		o.Limits.MaxConnsPerIP, o.Limits.ReadHeaderTimeout = 50, 10*time.Minute
	})
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	// Room for the clients' own descriptors and 300 more: far fewer than the
	// server would need to hold every slow connection.
	need := uint64(len(fds) + slow + 300)
	if lim.Max < need {
		t.Fatalf("open-file hard limit %d is below the %d this test needs: raise it (ulimit -Hn, LimitNOFILE)", lim.Max, need)
	}
	low := lim
	low.Cur = need
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim) })

	conns := make([]net.Conn, 0, slow)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range slow {
		c := dialFrom(t, "127.0.0.2", hostPort(e))
		conns = append(conns, c)
		// Best effort: a connection the server already closed may refuse the write.
		_, _ = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
	}
	c := clientFrom("127.0.0.1")
	res, err := c.Get(e.ts.URL + "/healthz")
	if err != nil {
		t.Fatalf("/healthz with %d slow connections open: %v", slow, err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("/healthz with %d slow connections open: %d", slow, res.StatusCode)
	}
	if held := e.srv.conns.Open(); held > 50+2 {
		t.Errorf("the server holds %d connections, want at most max_conns_per_ip 50 (+ /healthz)", held)
	}
}
