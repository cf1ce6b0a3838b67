package main

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
)

// TestBrowserReplicaFailover: two replicas on one Redis; a wall behind a small reverse
// proxy (the load balancer) and a wall opened on replica B. Replica A (the leader)
// goes away and the proxy sends its traffic to B: the proxied wall reconnects to B and
// shows live data without a sign-in, and the wall on B never shows STALE meanwhile.
// A stops cleanly here (in-process); kill -9 of a leader is TestFleetOnePollerFailover.
func TestBrowserReplicaFailover(t *testing.T) {
	browser := newBrowser(t)
	rd := redistest.Start(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(conf, []byte("redis_url: "+rd.URL()+"\ncluster: {lease_ttl: 3s, heartbeat: 200ms}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 31, config: conf, dataDir: filepath.Join(dir, "a")})
	b := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 31, config: conf, dataDir: filepath.Join(dir, "b")})

	var target atomic.Pointer[url.URL]
	ua, _ := url.Parse(a.Base)
	target.Store(ua)
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target.Load())
		r.Out.Host = r.In.Host // the page's origin is the proxy's, as behind a balancer
	}})
	defer proxy.Close()

	wall, _ := url.Parse(a.WallURL) // a device link, kept in Redis
	viaProxy := newTab(t, browser)
	marker := viaProxy.open(t, proxy.URL+wall.RequestURI())
	viaProxy.waitJS(t, 60*time.Second, "figures on the proxied wall", hasFiguresJS)
	onB := newTab(t, browser)
	onB.open(t, b.Base+wall.RequestURI())
	onB.waitJS(t, 60*time.Second, "figures on B's wall", hasFiguresJS)

	gone := time.Now()
	a.stop(t) // closes its sockets (1012) and gives the lease up
	ub, _ := url.Parse(b.Base)
	target.Store(ub)
	live := `document.getElementById('conn').hidden && ` + hasFiguresJS + ` && (() => { const s = ` + sourceJS("comm100") +
		`; return !!s && Number(s.getAttribute('data-updated')) >= ` + formatMS(gone) + ` && !s.classList.contains('failing') })()`
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
	t.Logf("the proxied wall showed B's live data %v after A went away", time.Since(gone).Round(time.Millisecond))
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
