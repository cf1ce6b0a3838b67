package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/redistest"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// TestReplicasDrillDownFetchedByTheLeader: two replicas on one Redis, each with its
// own port on one LivePerson simulator. A manager opens a skill's drill-down on the
// follower: its socket shows the conversations, fetched by the leader (the follower's
// port sees no request at all, neither poll nor drill-down).
func TestReplicasDrillDownFetchedByTheLeader(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	simCfg := simulator.DefaultCredentials()
	simCfg.RateLimit = -1
	simCfg.Start = busyFloorTime(time.Now()) // the floor busy, as in the demo
	sim := simulator.New(simCfg)
	vendor := sim.Handler(simliveperson.Routes)
	var hits [2]atomic.Int64 // every request, per replica's port
	var convHits [2]atomic.Int64
	hash, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	start := func(i int) *runningApp {
		edge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			if strings.HasSuffix(r.URL.Path, "/conversations/search") || strings.HasSuffix(r.URL.Path, "/interactions/search") {
				convHits[i].Add(1)
			}
			vendor.ServeHTTP(w, r)
		}))
		t.Cleanup(edge.Close)
		lp := simCfg.LivePerson
		conf := fmt.Sprintf(`redis_url: %s
cluster: {lease_ttl: 2s, heartbeat: 200ms}
users:
  - {name: ada, role: admin, password_hash: %q}
sources:
  - id: lp
    kind: liveperson
    interval: 5s
    liveperson: {account_id: %q, domain_url: %q, app_key: %q, secret: %q, access_token: %q, access_token_secret: %q}
boards:
  - {id: floor, title: Floor}
`, rs.URL(), hash, lp.AccountID, edge.URL, lp.ConsumerKey, lp.ConsumerSecret, lp.Token, lp.TokenSecret)
		path := filepath.Join(dir, fmt.Sprintf("ccdash%d.yaml", i))
		if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		return startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, fmt.Sprint(i))}, os.Getenv)
	}
	role := func(a *runningApp) string {
		res, err := http.Get(a.base + "/readyz")
		if err != nil {
			return ""
		}
		defer res.Body.Close()
		var s struct {
			Replica *struct{ Role string } `json:"replica"`
		}
		if json.NewDecoder(res.Body).Decode(&s) != nil || s.Replica == nil {
			return ""
		}
		return s.Replica.Role
	}
	lead := start(0)
	until(t, "the first replica to lead", func() bool { return role(lead) == "leader" })
	fol := start(1)
	until(t, "the second replica to follow", func() bool { return role(fol) == "follower" })

	c := browser(t)
	signIn(t, c, fol.base, "ada", "correct horse battery")
	skill := sim.BusiestLivePersonSkill("lp")
	until(t, "the follower to show the skill's drill-down", func() bool {
		code, body := fetch(t, c, http.MethodGet, fol.base+"/boards/floor?skill="+skill.Key, nil)
		return code == http.StatusOK && strings.Contains(body, `id="tile-convs"`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wc := *c
	wc.Timeout = 0 // the socket lives longer than one request
	ws := "ws" + strings.TrimPrefix(fol.base, "http") + "/ws?board=floor&view=manager&skill=" + skill.Key
	conn, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPClient: &wc, HTTPHeader: http.Header{"Origin": {fol.base}}})
	if err != nil {
		t.Fatalf("drill-down socket on the follower: %v", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(4 << 20)
	var last []byte
	for {
		_, msg, err := conn.Read(ctx)
		if err != nil {
			t.Fatalf("no conversations on the follower's socket: %v (leader sent %d drill-down requests; last message %.600s)\nleader: %s\nfollower: %s",
				err, convHits[0].Load(), last, lead.stderr, fol.stderr)
		}
		if strings.Contains(string(msg), "tile-convs") {
			last = msg
		}
		if strings.Contains(string(msg), `data-testid="conversation"`) {
			break
		}
	}
	if n := convHits[0].Load(); n == 0 {
		t.Error("the leader sent no drill-down request for the follower's viewer")
	}
	if n := hits[1].Load(); n != 0 {
		t.Errorf("the follower sent %d vendor requests, want none", n)
	}
}
