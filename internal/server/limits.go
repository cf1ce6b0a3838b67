package server

import (
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits bound what connections from outside may hold: every request has read and
// write deadlines, and nobody can hold an unbounded number of connections or
// anonymous sockets. A zero field takes the default given with it.
type Limits struct {
	// ReadTimeout bounds reading one request, body included. Default 30s.
	ReadTimeout time.Duration
	// ReadHeaderTimeout bounds reading one request's headers. Default 10s.
	ReadHeaderTimeout time.Duration
	// WriteTimeout bounds writing one response (a client that never reads is cut).
	// /ws clears it before the upgrade: sockets have their own write timeout. Default 30s.
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle this long. Default 2m.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps one request's headers. Default 64 KiB.
	MaxHeaderBytes int
	// MaxConns caps open connections (sockets included); more are closed at once.
	// Default 4096.
	MaxConns int
	// MaxConnsPerIP caps open connections from one address. Behind a reverse proxy
	// every connection comes from the proxy: raise it to cover MaxConns. Default 256.
	MaxConnsPerIP int
	// MaxPublicSocketsPerBoard caps anonymous live sockets on one public board.
	// Default 1000.
	MaxPublicSocketsPerBoard int
	// MaxPublicSocketsPerIP caps anonymous live sockets from one address (the client
	// address given by a trusted proxy, with trust_proxy). Default 100.
	MaxPublicSocketsPerIP int
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.ReadTimeout, 30*time.Second)
	def(&l.ReadHeaderTimeout, 10*time.Second)
	def(&l.WriteTimeout, 30*time.Second)
	def(&l.IdleTimeout, 2*time.Minute)
	defInt(&l.MaxHeaderBytes, 64<<10)
	defInt(&l.MaxConns, 4096)
	defInt(&l.MaxConnsPerIP, 256)
	defInt(&l.MaxPublicSocketsPerBoard, 1000)
	defInt(&l.MaxPublicSocketsPerIP, 100)
	return l
}

// HTTPServer returns the http.Server for Handler with the Limits' timeouts. Serve it
// on Listener(ln), so the connection limits apply too.
func (s *Server) HTTPServer(errorLog *log.Logger) *http.Server {
	l := s.limits
	return &http.Server{
		Handler:           s.Handler(),
		ReadTimeout:       l.ReadTimeout,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ErrorLog:          errorLog,
	}
}

// Listener wraps ln with the global and per-address connection limits (shared by
// every listener of s), and takes its address as the base of the links the server
// shows when public_url is unset.
func (s *Server) Listener(ln net.Listener) net.Listener {
	s.listenAddr.Store(ln.Addr().String())
	return &limitedListener{Listener: ln, lim: s.conns, log: s.log}
}

// baseURL is where browsers reach this server, for the device and embed links it
// shows: the configured public URL, else the listen address — never the request's
// Host header, which the client chooses.
func (s *Server) baseURL() string {
	if s.auth.opts.PublicURL != "" {
		return strings.TrimRight(s.auth.opts.PublicURL, "/")
	}
	addr, _ := s.listenAddr.Load().(string)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		// Listening on every interface: the machine's name is the best guess a
		// screen elsewhere can use (public_url says it exactly).
		if host, err = os.Hostname(); err != nil || host == "" {
			host = "localhost"
		}
	}
	return "http://" + net.JoinHostPort(host, port)
}

// connLimiter counts open connections, in all and per address.
type connLimiter struct {
	max, perIP int
	mu         sync.Mutex
	open       int
	byIP       map[string]int
	refused    atomic.Int64
}

func newConnLimiter(max, perIP int) *connLimiter {
	return &connLimiter{max: max, perIP: perIP, byIP: map[string]int{}}
}

// limitedListener closes connections over the global or the per-address limit as
// soon as they are accepted: the descriptor is freed at once and the backlog keeps
// moving for everyone else (a limit that blocked Accept would stall /healthz behind
// an attacker's connections).
type limitedListener struct {
	net.Listener
	lim *connLimiter
	log *slog.Logger
}

func (l *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := hostOf(c.RemoteAddr().String())
		if ok, global := l.lim.take(ip); !ok {
			l.lim.refused.Add(1)
			_ = c.Close()
			l.log.Debug("connection refused: limit reached", "ip", ip, "global", global)
			continue
		}
		return &limitedConn{Conn: c, release: func() { l.lim.give(ip) }}, nil
	}
}

func (l *connLimiter) take(ip string) (ok, global bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.max {
		return false, true
	}
	if l.byIP[ip] >= l.perIP {
		return false, false
	}
	l.open++
	l.byIP[ip]++
	return true, false
}

func (l *connLimiter) give(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byIP[ip]--; l.byIP[ip] <= 0 {
		delete(l.byIP, ip)
	}
}

// Open is the number of connections held now.
func (l *connLimiter) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// limitedConn gives its slot back once, however often it is closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

// socketSlots counts anonymous live sockets per public board and per address. An
// entry exists only while a socket holds it, so anonymous visitors cannot grow it
// beyond the caps.
type socketSlots struct {
	perBoard, perIP int
	mu              sync.Mutex
	byBoard, byIP   map[string]int
	refused         atomic.Int64
}

func newSocketSlots(perBoard, perIP int) *socketSlots {
	return &socketSlots{perBoard: perBoard, perIP: perIP, byBoard: map[string]int{}, byIP: map[string]int{}}
}

// take reserves a slot for a socket on board from ip; release gives it back.
func (s *socketSlots) take(board, ip string) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.byBoard[board] >= s.perBoard:
		s.refused.Add(1)
		return nil, refuse(errTooMany, "This public board has as many live screens as it serves; use a device link.")
	case s.byIP[ip] >= s.perIP:
		s.refused.Add(1)
		return nil, refuse(errTooMany, "Too many live pages from this address; close some, or sign in.")
	}
	s.byBoard[board]++
	s.byIP[ip]++
	var once sync.Once
	return func() { once.Do(func() { s.give(board, ip) }) }, nil
}

func (s *socketSlots) give(board, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byBoard[board]--; s.byBoard[board] <= 0 {
		delete(s.byBoard, board)
	}
	if s.byIP[ip]--; s.byIP[ip] <= 0 {
		delete(s.byIP, ip)
	}
}
