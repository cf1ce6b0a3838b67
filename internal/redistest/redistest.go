package redistest

import (
	"bytes"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds how long a Redis process may take to accept connections; generous
// for a loaded 2-core machine.
const startTimeout = 20 * time.Second

// Server is one redis-server (or redis-sentinel) process the test owns.
type Server struct {
	t    testing.TB
	bin  string
	args []string
	dir  string
	// Port is the loopback port it listens on; it stays the same across Restart.
	Port int

	mu  sync.Mutex
	cmd *exec.Cmd
	out *bytes.Buffer
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// URL is the redis:// URL of database 0.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Start runs a fresh redis-server on a free loopback port, without persistence, and
// kills it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := newServer(t, "redis-server", t.TempDir(), nil)
	s.start()
	return s
}

func newServer(t testing.TB, name, dir string, extra []string) *Server {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install redis (apt-get install redis-server redis-sentinel) to run the replica tests", name)
	}
	s := &Server{t: t, bin: bin, dir: dir, Port: FreePort(t)}
	s.args = append([]string{"--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no"}, extra...)
	t.Cleanup(s.Kill)
	return s
}

// start launches the process and waits until it answers PING.
func (s *Server) start() {
	s.t.Helper()
	s.mu.Lock()
	s.out = &bytes.Buffer{}
	s.cmd = exec.Command(s.bin, s.args...)
	s.cmd.Dir = s.dir
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	err := s.cmd.Start()
	s.mu.Unlock()
	if err != nil {
		s.t.Fatalf("start %s: %v", s.bin, err)
	}
	deadline := time.Now().Add(startTimeout)
	for !ping(s.Addr()) {
		if time.Now().After(deadline) {
			s.t.Fatalf("%s on %s did not answer PING within %v:\n%s", filepath.Base(s.bin), s.Addr(), startTimeout, s.Output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Output is what the process printed (its log), for failure messages.
func (s *Server) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out == nil {
		return ""
	}
	return s.out.String()
}

// Kill stops the process at once (SIGKILL), like a crash; a killed server can Restart.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts a killed server again on the same port (with no data: persistence is
// off, as after losing a cache node).
func (s *Server) Restart() {
	s.t.Helper()
	s.Kill()
	s.start()
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// ping sends a raw PING and reports whether +PONG came back.
func ping(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	buf := make([]byte, 64)
	n, _ := c.Read(buf)
	return bytes.HasPrefix(buf[:n], []byte("+PONG"))
}
