package fleettest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// Test timing: a short lease so failovers take seconds; the deadlines below are for
// waiting on a loaded machine, never measures.
const (
	leaseTTL = 3 * time.Second
	interval = 2 * time.Second
	wait     = 60 * time.Second
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ccdash-fleet")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "dashboard")
	if out, err := exec.Command("go", "build", "-o", binary, "github.com/ccdash/ccdash/cmd/dashboard").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build the dashboard: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// vendor is one simulator served on one port per replica, so every request says which
// replica sent it.
type vendor struct {
	sim  *simulator.Simulator
	urls []string

	mu   sync.Mutex
	hits []hit
}

type hit struct {
	at      time.Time
	replica int
}

func startVendor(t *testing.T, replicas int) *vendor {
	t.Helper()
	v := &vendor{sim: simulator.New(simulator.DefaultCredentials())}
	h := v.sim.Handler(simcomm100.Routes, simliveperson.Routes)
	for i := range replicas {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v.mu.Lock()
			v.hits = append(v.hits, hit{time.Now(), i})
			v.mu.Unlock()
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		v.urls = append(v.urls, srv.URL)
	}
	return v
}

// since returns the requests from at on.
func (v *vendor) since(at time.Time) []hit {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []hit
	for _, h := range v.hits {
		if !h.at.Before(at) {
			out = append(out, h)
		}
	}
	return out
}

// runs collapses requests into runs of one replica: [0 0 2 2 1] → [0 2 1].
func runs(hs []hit) []int {
	var out []int
	for _, h := range hs {
		if len(out) == 0 || out[len(out)-1] != h.replica {
			out = append(out, h.replica)
		}
	}
	return out
}

// replica is one dashboard process.
type replica struct {
	i    int
	base string
	cmd  *exec.Cmd
	log  *syncBuf
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const configTmpl = `
data_dir: %q
redis_url: %q
cluster: {lease_ttl: %s, heartbeat: 200ms}
sources:
  - kind: comm100
    interval: %s
    comm100: {base_url: %q, site_id: %d, email: %q, api_key: %q}
boards:
  - {id: floor, title: Floor, public: true%s}
%s`

// startReplica runs replica i against redisURL, polling its own port of v.
func startReplica(t *testing.T, i int, redisURL string, v *vendor, extra string) *replica {
	t.Helper()
	return startReplicaBoard(t, i, redisURL, v, "", extra)
}

// startReplicaBoard is startReplica with board, more keys of the board floor (", key: value").
func startReplicaBoard(t *testing.T, i int, redisURL string, v *vendor, board, extra string) *replica {
	t.Helper()
	dir := t.TempDir()
	c := simulator.DefaultCredentials().Comm100
	conf := fmt.Sprintf(configTmpl, filepath.Join(dir, "data"), redisURL, leaseTTL, interval, v.urls[i]+"/v4", c.SiteID, c.Email, c.APIKey, board, extra)
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &replica{i: i, base: fmt.Sprintf("http://127.0.0.1:%d", redistest.FreePort(t)), log: &syncBuf{}}
	r.cmd = exec.Command(binary, "--config", path, "--addr", strings.TrimPrefix(r.base, "http://"))
	r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.signal(syscall.SIGCONT)
		r.signal(syscall.SIGKILL)
		_ = r.cmd.Wait()
		if t.Failed() {
			t.Logf("replica %d log:\n%s", i, r.log.String())
		}
	})
	eventually(t, fmt.Sprintf("replica %d up", i), func() bool { _, err := r.readyz(); return err == nil })
	return r
}

func (r *replica) signal(sig syscall.Signal) { _ = r.cmd.Process.Signal(sig) }

// status is the operator's /readyz (loopback gets the details).
type status struct {
	Ready   bool   `json:"ready"`
	Version uint64 `json:"version"`
	Replica *struct {
		Role           string  `json:"role"`
		Term           uint64  `json:"term"`
		Seq            uint64  `json:"seq"`
		SnapshotAgeSec float64 `json:"snapshotAgeSec"`
		LinkDown       bool    `json:"linkDown"`
	} `json:"replica"`
}

var client = &http.Client{Timeout: 2 * time.Second}

func (r *replica) readyz() (status, error) {
	var s status
	resp, err := client.Get(r.base + "/readyz")
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&s)
	return s, err
}

func (r *replica) page(t *testing.T, path string) string {
	t.Helper()
	resp, err := client.Get(r.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (r *replica) role() string {
	s, err := r.readyz()
	if err != nil || s.Replica == nil {
		return ""
	}
	return s.Replica.Role
}

// eventually polls cond until it holds, failing the test after wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", wait, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// leader waits until exactly one of rs says it leads and every other follows the same
// term, and returns it.
func leader(t *testing.T, rs []*replica) *replica {
	t.Helper()
	var who *replica
	eventually(t, "one leader, every other replica following its term", func() bool {
		who = nil
		var term uint64
		for _, r := range rs {
			s, err := r.readyz()
			if err != nil || s.Replica == nil {
				return false
			}
			if s.Replica.Role == "leader" {
				if who != nil {
					return false
				}
				who, term = r, s.Replica.Term
			}
		}
		if who == nil {
			return false
		}
		for _, r := range rs {
			if s, _ := r.readyz(); s.Replica.Term != term {
				return false
			}
		}
		return true
	})
	return who
}
