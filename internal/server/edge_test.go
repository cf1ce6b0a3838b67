package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// patience bounds every wait in these tests: far above any configured timeout, so
// only a server that never acts runs into it.
const patience = 30 * time.Second

// dialFrom opens a TCP connection to addr from a loopback address of its own
// (127.0.0.0/8 is all loopback on Linux), so tests can be several clients.
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: patience}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial %s from %s: %v", addr, local, err)
	}
	return c
}

// clientFrom is an HTTP client whose connections come from local.
func clientFrom(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: patience}
	return &http.Client{Timeout: patience, Transport: &http.Transport{DialContext: d.DialContext}}
}

func hostPort(e *authEnv) string { return strings.TrimPrefix(e.ts.URL, "http://") }

// waitClosed reads c until the server closes it, and fails if it is still open
// after patience.
func waitClosed(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(patience))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("%s: the server still holds the connection after %v", what, patience)
	}
}

// TestSlowBodyIsCut: a request whose body never finishes is closed by the read
// timeout (before, it was held forever).
func TestSlowBodyIsCut(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.ReadTimeout = 500 * time.Millisecond })
	c := dialFrom(t, "127.0.0.1", hostPort(e))
	defer c.Close()
	_, err := io.WriteString(c, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: 100000\r\n\r\nusername=a")
	if err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c, "slow body")
}

// TestSlowHeadersAreCut: a request whose headers never finish is closed by the
// header timeout.
func TestSlowHeadersAreCut(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.ReadHeaderTimeout = 500 * time.Millisecond })
	c := dialFrom(t, "127.0.0.1", hostPort(e))
	defer c.Close()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c, "slow headers")
}

// TestPipeliningClientThatNeverReadsIsCut: a client that sends request after request
// and reads no response fills the server's send buffer; the write timeout ends
// the connection (before, it held megabytes of buffer forever).
func TestPipeliningClientThatNeverReadsIsCut(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.WriteTimeout = 500 * time.Millisecond })
	c := dialFrom(t, "127.0.0.1", hostPort(e))
	defer c.Close()
	_ = c.(*net.TCPConn).SetReadBuffer(4096)
	cut := make(chan error, 1)
	go func() {
		req := []byte("GET /boards/demo HTTP/1.1\r\nHost: x\r\n\r\n")
		for {
			if _, err := c.Write(req); err != nil {
				cut <- err
				return
			}
		}
	}()
	select {
	case err := <-cut:
		t.Logf("pipelining client cut: %v", err)
	case <-time.After(patience):
		t.Fatalf("a client that never reads still holds its connection after %v", patience)
	}
}

// TestConnectionLimits: one address gets max_conns_per_ip connections, everyone
// together max_conns; the connections over a limit are closed at once, and a slot
// comes back when its connection ends.
func TestConnectionLimits(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.MaxConnsPerIP, o.Limits.MaxConns = 3, 5 })
	held := func(local string) net.Conn {
		c := dialFrom(t, local, hostPort(e))
		t.Cleanup(func() { c.Close() })
		return c
	}
	// Served: a request on the connection gets its answer.
	served := func(c net.Conn) bool {
		_ = c.SetDeadline(time.Now().Add(patience))
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return false
		}
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	}
	for i := range 3 {
		if !served(held("127.0.0.2")) {
			t.Fatalf("connection %d from 127.0.0.2 refused under the limit", i+1)
		}
	}
	if served(held("127.0.0.2")) {
		t.Error("a 4th connection from one address was served over max_conns_per_ip 3")
	}
	for i := range 2 {
		if !served(held("127.0.0.3")) {
			t.Fatalf("connection %d from 127.0.0.3 refused under the limit", i+1)
		}
	}
	last := held("127.0.0.4")
	if served(last) {
		t.Error("a 6th connection was served over max_conns 5")
	}
	if e.srv.conns.refused.Load() < 2 {
		t.Errorf("refused connections counted %d, want 2", e.srv.conns.refused.Load())
	}
}

// TestPublicSocketCaps: anonymous sockets are capped per address and per public
// board; a device (like a signed-in user) is not anonymous; a closed socket gives
// its slot back.
func TestPublicSocketCaps(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.MaxPublicSocketsPerIP, o.Limits.MaxPublicSocketsPerBoard = 2, 3 })
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws?board=demo&view=wall"
	clients := map[string]*http.Client{}
	dial := func(local string, h http.Header) (*websocket.Conn, int, error) {
		if clients[local] == nil {
			clients[local] = clientFrom(local)
			t.Cleanup(clients[local].CloseIdleConnections)
		}
		c, res, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPClient: clients[local], HTTPHeader: h})
		code := 0
		if res != nil {
			code = res.StatusCode
		}
		if c != nil {
			t.Cleanup(func() { c.CloseNow() })
		}
		return c, code, err
	}
	mustOpen := func(local string) *websocket.Conn {
		c, code, err := dial(local, nil)
		if err != nil {
			t.Fatalf("socket from %s refused under the caps: %d %v", local, code, err)
		}
		return c
	}
	mustOpen("127.0.0.2")
	first := mustOpen("127.0.0.2")
	if _, code, _ := dial("127.0.0.2", nil); code != http.StatusTooManyRequests {
		t.Errorf("3rd anonymous socket from one address: got %d, want 429", code)
	}
	mustOpen("127.0.0.3")
	if _, code, _ := dial("127.0.0.4", nil); code != http.StatusTooManyRequests {
		t.Errorf("4th anonymous socket on the board: got %d, want 429", code)
	}
	// A wall display's device link on the same public board is not anonymous.
	_, secret, err := e.devices.Create(ctx, "demo", "Lobby TV")
	if err != nil {
		t.Fatal(err)
	}
	if conn, _, res, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall&device="+url.QueryEscape(secret), nil); err != nil {
		t.Errorf("device socket refused by the anonymous caps: %v %v", res, err)
	} else {
		conn.CloseNow()
	}
	// A closed socket frees its slot (the server notices the close asynchronously).
	first.CloseNow()
	for {
		c, code, err := dial("127.0.0.4", nil)
		if err == nil {
			c.CloseNow()
			break
		}
		if code != http.StatusTooManyRequests || ctx.Err() != nil {
			t.Fatalf("after a socket closed: %d %v", code, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSocketOutlivesRequestTimeouts: the read and write deadlines of a request are
// cleared before the upgrade, so a socket lives past them and still gets updates.
func TestSocketOutlivesRequestTimeouts(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Limits.ReadTimeout, o.Limits.WriteTimeout = 200*time.Millisecond, 200*time.Millisecond
	})
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	conn, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	time.Sleep(time.Second) // let both request deadlines pass: what is tested is after
	e.store.Publish(scopedSnap(2, 9))
	if _, msg, err := conn.Read(ctx); err != nil || !strings.Contains(string(msg), `id="srv-clock"`) {
		t.Errorf("socket after the request deadlines: %v %.200s", err, msg)
	}
}

// TestMetricsNeedLoopbackOrToken: /metrics answers loopback, and a forwarded (or
// remote) request only with the bearer token; /readyz tells others only ready or not.
func TestMetricsNeedLoopbackOrToken(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-0123456789"
	withToken := newAuthEnv(t, func(o *Options) { o.MetricsToken = token })
	without := newAuthEnv(t, nil)
	remote := http.Header{"X-Forwarded-For": {"203.0.113.9"}}
	bearer := func(tok string) http.Header {
		h := remote.Clone()
		h.Set("Authorization", "Bearer "+tok)
		return h
	}
	tests := []struct {
		name   string
		e      *authEnv
		path   string
		h      http.Header
		want   int
		detail bool // the body names sources and errors
	}{
		{"metrics on loopback", without, "/metrics", nil, 200, true},
		{"metrics forwarded, no token configured", without, "/metrics", remote, 403, false},
		{"metrics forwarded, no token sent", withToken, "/metrics", remote, 401, false},
		{"metrics forwarded, wrong token", withToken, "/metrics", bearer("metrics-token-wrong"), 401, false},
		{"metrics forwarded, token", withToken, "/metrics", bearer(token), 200, true},
		// The test snapshot is old: not ready, and the details would say why.
		{"readyz on loopback", without, "/readyz", nil, 503, true},
		{"readyz forwarded", withToken, "/readyz", remote, 503, false},
		{"readyz forwarded, token", withToken, "/readyz", bearer(token), 503, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", tt.e.ts.URL+tt.path, nil)
			for k, v := range tt.h {
				req.Header[k] = v
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			body := string(b)
			if res.StatusCode != tt.want {
				t.Fatalf("got %d %.200s, want %d", res.StatusCode, body, tt.want)
			}
			detail := strings.Contains(body, "ccdash_ws_clients") || strings.Contains(body, `"sources"`)
			if detail != tt.detail {
				t.Errorf("details shown: %v, want %v: %.300s", detail, tt.detail, body)
			}
			if tt.path == "/readyz" && !tt.detail {
				var got map[string]any
				if err := json.Unmarshal(b, &got); err != nil || len(got) != 1 || got["ready"] != false {
					t.Errorf("readyz for others: %s (%v), want only {\"ready\": false}", body, err)
				}
			}
			if strings.Contains(body, token) {
				t.Error("the token is echoed")
			}
		})
	}
}

// TestHeadAnswersLikeGet: HEAD on pages and health checks gets GET's status and
// headers, without a body (before: 405).
func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	for _, path := range []string{"/healthz", "/readyz", "/boards/demo", "/wall/demo", "/embed/demo/tiles/queue", "/login"} {
		get := do(t, http.DefaultClient, "GET", e.ts.URL+path, nil)
		head := do(t, http.DefaultClient, "HEAD", e.ts.URL+path, nil)
		if head.code != get.code || head.body != "" || head.header.Get("Content-Type") != get.header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q %q; GET: %d %q", path, head.code, head.header.Get("Content-Type"), head.body, get.code, get.header.Get("Content-Type"))
		}
	}
}

// TestDeviceLinkIgnoresHostHeader: the link shown for a new device is built from
// the listen address (public_url unset), never from the Host the request names.
func TestDeviceLinkIgnoresHostHeader(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	tok := e.csrfFrom(t, adm, "/admin/devices")
	form := url.Values{"csrf_token": {tok}, "board": {"lobby"}, "name": {"Lobby TV"}}
	req, _ := http.NewRequest("POST", e.ts.URL+"/admin/devices", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	base, _ := url.Parse(e.ts.URL)
	for _, ck := range adm.Jar.Cookies(base) { // sent by hand: the client's jar keys cookies by Host
		req.AddCookie(ck)
	}
	req.Host = "evil.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`data-testid="new-device-url">([^<]+)<`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no device link: %d %.300s", res.StatusCode, b)
	}
	if link := string(m[1]); !strings.HasPrefix(link, e.ts.URL+"/wall/lobby?") {
		t.Errorf("device link %q, want it on the listen address %s", link, e.ts.URL)
	}
}

// TestHugeHeadersRefused: headers over max_header_bytes get 431, not a server that
// buffers whatever it is sent.
func TestHugeHeadersRefused(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Limits.MaxHeaderBytes = 4096 })
	req, _ := http.NewRequest("GET", e.ts.URL+"/healthz", nil)
	req.Header.Set("X-Junk", strings.Repeat("a", 64<<10))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers over a 4 KiB cap: %d, want 431", res.StatusCode)
	}
}
