package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
)

// TestBrowserReplicaFailover: two replicas on one Redis; a wall behind a small reverse
// proxy (the load balancer) and a wall opened on replica B. Replica A (the leader, a
// process of its own) is killed with SIGKILL and the proxy sends its traffic to B: the
// proxied wall reconnects to B and shows live data without a sign-in, and the wall on
// B never shows STALE meanwhile.
func TestBrowserReplicaFailover(t *testing.T) {
	browser := newBrowser(t)
	rd := redistest.Start(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(conf, []byte("redis_url: "+rd.URL()+"\ncluster: {lease_ttl: 3s, heartbeat: 200ms}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startLeaderProcess(t, conf, filepath.Join(dir, "a"))
	b := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 31, config: conf, dataDir: filepath.Join(dir, "b")})

	var target atomic.Pointer[url.URL]
	ua, _ := url.Parse(a.base)
	target.Store(ua)
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target.Load())
		r.Out.Host = r.In.Host // the page's origin is the proxy's, as behind a balancer
	}})
	defer proxy.Close()

	wall, _ := url.Parse(b.WallURL) // a device link, kept in Redis: it opens on A too
	viaProxy := newTab(t, browser)
	marker := viaProxy.open(t, proxy.URL+wall.RequestURI())
	viaProxy.waitJS(t, 60*time.Second, "figures on the proxied wall", hasFiguresJS)
	onB := newTab(t, browser)
	onB.open(t, b.Base+wall.RequestURI())
	onB.waitJS(t, 60*time.Second, "figures on B's wall", hasFiguresJS)

	gone := time.Now()
	a.kill(t) // kill -9: no close frames, the lease left to expire
	ub, _ := url.Parse(b.Base)
	target.Store(ub)
	live := `document.getElementById('conn').hidden && ` + hasFiguresJS + ` && (() => { const s = ` + sourceJS("comm100") +
		`; return !!s && ` + sourceUpdatedJS("comm100") + ` >= ` + formatMS(gone) + ` && !s.classList.contains('failing') })()`
	deadline := time.Now().Add(60 * time.Second)
	for !evalJS[bool](t, viaProxy, live) {
		if evalJS[bool](t, onB, staleTileJS("comm100")+" || "+staleTileJS("liveperson")) {
			t.Fatal("the wall on the surviving replica showed STALE during the failover")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxied wall never showed live data from B:\n%s", viaProxy.dump())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the proxied wall showed B's live data %v after A was killed", time.Since(gone).Round(time.Millisecond))
	if path := evalJS[string](t, viaProxy, `location.pathname`); !strings.HasPrefix(path, "/wall/") {
		t.Errorf("the proxied wall is at %s, want the wall (no sign-in)", path)
	}
	if !evalJS[bool](t, viaProxy, markerJS(marker)) {
		t.Log("the proxied wall reloaded once (allowed: it kept its device link)")
	}
	if evalJS[bool](t, onB, staleTileJS("comm100")) {
		t.Error("the wall on the surviving replica shows STALE after the failover")
	}
}

func formatMS(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// leaderProcess is a replica run as a process of its own (this test binary as the
// dashboard command, TestMain), so a test can kill -9 it.
type leaderProcess struct {
	base string
	cmd  *exec.Cmd
	log  *lockedBuffer
}

// startLeaderProcess starts a demo replica with config conf and waits until it holds
// the lease (it is the first replica on its Redis).
func startLeaderProcess(t *testing.T, conf, dataDir string) *leaderProcess {
	t.Helper()
	p := &leaderProcess{base: fmt.Sprintf("http://127.0.0.1:%d", redistest.FreePort(t)), log: &lockedBuffer{}}
	args := []string{"--addr", strings.TrimPrefix(p.base, "http://"), "--sim-speed", simSpeed, "--sim-seed", "31", "--data-dir", dataDir, "--config", conf}
	p.cmd = exec.Command(os.Args[0])
	p.cmd.Env = append(os.Environ(), "CCDASH_BE_MAIN=1", "CCDASH_ARGS="+strings.Join(args, " "))
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill(t) })
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var st struct {
			Replica *struct{ Role string } `json:"replica"`
		}
		if resp, err := hc.Get(p.base + "/readyz"); err == nil {
			_ = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if st.Replica != nil && st.Replica.Role == "leader" {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica process never led within 60s; log:\n%s", p.log.tail(4000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL and reaps the process (again: a no-op).
func (p *leaderProcess) kill(t *testing.T) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
}
