package main

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// server is the process under test: where its live channel is, and its pid for /proc.
type server struct {
	wsURL  string // the WebSocket URL a wall page connects to
	origin string // the Origin a browser on that page would send
	name   string
	args   []string       // the command line, to start it again (storm)
	ready  *regexp.Regexp // the stdout line that says it is serving
	cmd    *exec.Cmd
	tmp    string
	log    *os.File // --server-log: where its stderr goes (both runs of a storm); nil: nowhere
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// start runs the command and waits for its ready line; it returns that line's
// last submatch.
func (s *server) start(ctx context.Context) error {
	_, err := s.startScan(ctx)
	return err
}

func (s *server) startScan(ctx context.Context) (string, error) {
	s.cmd = exec.CommandContext(ctx, s.args[0], s.args[1:]...)
	s.cmd.Stderr = io.Discard
	if s.log != nil {
		s.cmd.Stderr = s.log
	}
	return startAndScan(s.cmd, s.ready)
}

// stop interrupts the process (a graceful restart: ccdash closes sockets with
// 1012) and waits for it to exit.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// close stops the process for good and removes its data directory.
func (s *server) close() {
	s.stop()
	if s.tmp != "" {
		_ = os.RemoveAll(s.tmp)
	}
}

// startDashboard runs the demo in a fresh data directory and finds the device link it
// prints for its wall, then the live channel that wall page connects to.
func startDashboard(ctx context.Context, o options) (*server, error) {
	tmp, err := os.MkdirTemp("", "fanout-")
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	// The safe default of http.max_conns (4096) would refuse a 10,000-socket probe.
	config := filepath.Join(tmp, "ccdash.yaml")
	yaml := fmt.Sprintf("http:\n  max_conns: %d\n", o.sockets+1024)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	s := &server{
		name: "ccdash", tmp: tmp, origin: "http://" + addr, log: o.serverLog,
		args:  []string{o.dashboard, "--addr", addr, "--data-dir", tmp, "--config", config},
		ready: regexp.MustCompile(`wall board.*: (http://\S+)`),
	}
	if o.idle {
		s.args = append(s.args, "--sim-interval", idleInterval.String())
	}
	wall, err := s.startScan(ctx)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return nil, fmt.Errorf("start %s: %w", o.dashboard, err)
	}
	if s.wsURL, err = liveChannel(ctx, wall); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// idleInterval is how seldom an idle server pushes: never, within a probe.
const idleInterval = time.Hour

// startBare runs this binary's bare-server mode as the reference.
func startBare(ctx context.Context, o options) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	every := o.every
	if o.idle {
		every = idleInterval
	}
	s := &server{
		name: "bare", origin: "http://" + addr, wsURL: "ws://" + addr + "/ws", log: o.serverLog,
		args:  []string{self, "bare-server", "--addr", addr, "--every", every.String(), "--size", strconv.Itoa(o.size)},
		ready: regexp.MustCompile(`^listening`),
	}
	if err := s.start(ctx); err != nil {
		return nil, fmt.Errorf("start bare server: %w", err)
	}
	return s, nil
}

// startAndScan starts cmd and returns the first submatch of the first stdout line
// matching re (the rest of stdout is drained so the child never blocks on it).
func startAndScan(cmd *exec.Cmd, re *regexp.Regexp) (string, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[len(m)-1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case v, ok := <-found:
		if !ok {
			return "", fmt.Errorf("exited without printing %q", re)
		}
		return v, nil
	case <-time.After(60 * time.Second):
		return "", fmt.Errorf("did not print %q within 60s", re)
	}
}

var wsConnect = regexp.MustCompile(`ws-connect="([^"]+)"`)

// liveChannel loads the wall page as a browser would and returns its ws-connect URL.
func liveChannel(ctx context.Context, page string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("wall page: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	m := wsConnect.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("wall page %s answered %d without a live channel", page, resp.StatusCode)
	}
	u := html.UnescapeString(string(m[1]))
	if strings.HasPrefix(u, "/") {
		base := strings.TrimPrefix(strings.SplitN(page, "/wall/", 2)[0], "http")
		u = "ws" + base + u
	}
	return u, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
