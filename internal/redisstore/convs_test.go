package redisstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// The drill-downs' conversations on two replicas sharing one real redis-server: each
// replica has its own LivePerson connector (its own client and budget) in front of one
// simulator, its own cluster.Node campaigning for the real lease, and its own
// convs.Manager on a ConvsFleet. Vendor requests are counted per replica at the edge.

const (
	fleetTick   = 150 * time.Millisecond
	fleetSync   = 100 * time.Millisecond
	fleetLinger = 200 * time.Millisecond
)

type convsReplica struct {
	m        *convs.Manager
	node     *cluster.Node
	requests atomic.Int64 // conversations and chats searches this replica sent
	stop     func()
}

type convsFleetEnv struct {
	sim   *simulator.Simulator
	skill snapshot.Skill
	rc    *redis.Client
	fleet string // the prefix both replicas share
}

func newConvsFleetEnv(t *testing.T) *convsFleetEnv {
	t.Helper()
	simCfg := simulator.DefaultCredentials()
	simCfg.RateLimit = -1
	simCfg.Start = time.Date(2025, 3, 12, 14, 0, 0, 0, time.UTC)
	e := &convsFleetEnv{sim: simulator.NewSelfClocked(simCfg)}
	f := newFresh(t)
	e.rc, e.fleet = f.c, f.prefix()
	e.skill = e.sim.BusiestLivePersonSkill("lp")
	return e
}

// replica starts one replica; the first started leads (it takes the free lease).
func (e *convsFleetEnv) replica(t *testing.T) *convsReplica {
	t.Helper()
	r := &convsReplica{}
	vendor := e.sim.Handler(simliveperson.Routes)
	edge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/conversations/search") || strings.HasSuffix(req.URL.Path, "/interactions/search") {
			r.requests.Add(1)
		}
		vendor.ServeHTTP(w, req)
	}))
	t.Cleanup(edge.Close)
	acct := simulator.DefaultCredentials().LivePerson
	lp, err := liveperson.New(liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: edge.URL, Insecure: true,
		AppKey: acct.ConsumerKey, Secret: acct.ConsumerSecret, AccessToken: acct.Token, AccessTokenSecret: acct.TokenSecret,
		Now: e.sim.Now}, &poller.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(strings.TrimPrefix(e.fleet, "ccdash:{"), "}:")
	r.node, err = cluster.New(cluster.Options{Client: e.rc, Name: name, TTL: 2 * time.Second, Heartbeat: 200 * time.Millisecond,
		Store: snapshot.NewStore(), Lead: func(ctx context.Context, _ *snapshot.Store) error { <-ctx.Done(); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	nodeDone := make(chan struct{})
	go func() { r.node.Run(ctx); close(nodeDone) }()
	r.m = convs.New(ctx, map[string]convs.Fetcher{"lp": lp}, convs.Options{Interval: fleetTick, Linger: fleetLinger,
		Sync: fleetSync, Fleet: NewConvsFleet(e.rc, e.fleet, r.node.Leading)})
	var once atomic.Bool
	r.stop = func() {
		if once.CompareAndSwap(false, true) {
			cancel()
			r.m.Wait()
			<-nodeDone
		}
	}
	t.Cleanup(r.stop)
	return r
}

// noVendorRequests fails t if r sent a vendor request or started a refresh.
func (r *convsReplica) noVendorRequests(t *testing.T) {
	t.Helper()
	if n, f := r.requests.Load(), r.m.Fetches(); n != 0 || f != 0 {
		t.Errorf("the follower sent %d vendor requests in %d refreshes, want none", n, f)
	}
}

// leaderAndFollower starts two replicas, the first the leader.
func (e *convsFleetEnv) leaderAndFollower(t *testing.T) (leader, follower *convsReplica) {
	t.Helper()
	leader = e.replica(t)
	eventually(t, "the first replica to lead", leader.node.Leading)
	return leader, e.replica(t)
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConvsFleetFollowerViewerMakesLeaderFetch: a viewer on the follower only makes
// the leader fetch (its loop started from the interest in Redis), the follower shows
// the leader's list and never calls the vendor; when the viewer leaves its interest
// expires, the leader's loop ends and no request follows.
func TestConvsFleetFollowerViewerMakesLeaderFetch(t *testing.T) {
	t.Parallel()
	e := newConvsFleetEnv(t)
	lead, fol := e.leaderAndFollower(t)
	if !fol.m.Supports(e.skill) {
		t.Fatal("the follower offers no list for a LivePerson skill")
	}
	release, _ := fol.m.Watch(e.skill, false)
	eventually(t, "the leader to refresh twice", func() bool { return lead.m.Fetches() >= 2 })
	eventually(t, "the follower to show the leader's list", func() bool {
		l, _ := fol.m.Get(e.skill.Key)
		return l != nil && len(l.Open) > 0
	})
	l, _ := fol.m.Get(e.skill.Key)
	open, _ := e.sim.Conversations(e.skill.ID)
	if len(l.Open) != len(open) || l.Skill != e.skill.Key {
		t.Errorf("follower shows %d open conversations of %q, the simulator has %d", len(l.Open), l.Skill, len(open))
	}
	if got := lead.requests.Load(); got == 0 {
		t.Error("the leader sent no vendor request for the follower's viewer")
	}
	release()
	eventually(t, "the interest to expire and the leader's loop to end", func() bool {
		w, err := NewConvsFleet(e.rc, e.fleet, lead.node.Leading).Wanted(t.Context())
		return err == nil && len(w) == 0 && lead.m.Loops() == 0 && fol.m.Loops() == 0
	})
	after := lead.requests.Load()
	time.Sleep(4 * fleetTick) // longer than a refresh: none may be sent
	if got := lead.requests.Load(); got != after {
		t.Errorf("%d vendor requests after the interest expired", got-after)
	}
	fol.noVendorRequests(t)
}

// TestConvsFleetSameCostOnOneOrTwoReplicas: viewers on the leader alone, then on both
// replicas, cost the same requests per refresh on one loop (the budget is not
// multiplied), all sent by the leader.
func TestConvsFleetSameCostOnOneOrTwoReplicas(t *testing.T) {
	t.Parallel()
	e := newConvsFleetEnv(t)
	lead, fol := e.leaderAndFollower(t)
	phase := func(on ...*convsReplica) (requests, refreshes int) {
		r0, f0 := lead.requests.Load(), lead.m.Fetches()
		opened := time.Now()
		var releases []func()
		for _, r := range on {
			for range 5 {
				rel, _ := r.m.Watch(e.skill, false)
				releases = append(releases, rel)
			}
		}
		eventually(t, "three refreshes", func() bool { return lead.m.Fetches()-f0 >= 3 })
		for _, rel := range releases {
			rel()
		}
		eventually(t, "both loops to end", func() bool { return lead.m.Loops() == 0 && fol.m.Loops() == 0 })
		open := time.Since(opened)
		refreshes = int(lead.m.Fetches() - f0)
		if most := int(open/fleetTick) + 2; refreshes > most {
			t.Errorf("viewers on %d replicas: %d refreshes in %v, one loop makes at most %d", len(on), refreshes, open, most)
		}
		return int(lead.requests.Load() - r0), refreshes
	}
	req1, ref1 := phase(lead)
	req2, ref2 := phase(lead, fol)
	perRefresh := len(e.skill.Queues)
	if req1 != ref1*perRefresh || req2 != ref2*perRefresh {
		t.Errorf("one replica: %d requests in %d refreshes; two: %d in %d; want %d per refresh for both",
			req1, ref1, req2, ref2, perRefresh)
	}
	fol.noVendorRequests(t)
}

// TestConvsFleetNewLeaderTakesOver: when the leader goes, the follower takes the
// lease, picks its viewer's interest up and fetches itself.
func TestConvsFleetNewLeaderTakesOver(t *testing.T) {
	t.Parallel()
	e := newConvsFleetEnv(t)
	lead, fol := e.leaderAndFollower(t)
	release, _ := fol.m.Watch(e.skill, false)
	defer release()
	eventually(t, "the follower to show the leader's list", func() bool { l, _ := fol.m.Get(e.skill.Key); return l != nil })
	lead.stop() // a clean shutdown hands the lease over
	before := lead.requests.Load()
	eventually(t, "the follower to lead and fetch", func() bool { return fol.node.Leading() && fol.requests.Load() > 0 })
	eventually(t, "a list fetched by the new leader", func() bool { return fol.m.Fetches() >= 2 })
	if got := lead.requests.Load(); got != before {
		t.Errorf("the stopped leader sent %d more requests", got-before)
	}
}

// TestConvsFleetStore: interest expires in Redis' clock and is never shortened by a
// later, shorter announcement; lists round-trip and only the leader publishes.
func TestConvsFleetStore(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	var leading atomic.Bool
	s := NewConvsFleet(f.c, f.prefix(), leading.Load)
	ctx := t.Context()
	w := convs.Want{Key: "lp:7", ID: "7", Source: "lp", Channels: []snapshot.Channel{snapshot.Messaging}, Text: true}
	if err := s.Announce(ctx, w, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := s.Announce(ctx, w, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := s.Announce(ctx, convs.Want{}, time.Second); err == nil {
		t.Error("an interest without a skill was accepted")
	}
	got, err := s.Wanted(ctx)
	if err != nil || len(got) != 1 || got[0].Key != w.Key || !got[0].Text || len(got[0].Channels) != 1 {
		t.Fatalf("Wanted = %+v, %v", got, err)
	}
	eventually(t, "the interest to expire", func() bool { got, err := s.Wanted(ctx); return err == nil && len(got) == 0 })

	list := snapshot.Conversations{Skill: "lp:7", Open: []snapshot.Conversation{{ID: "c1", State: snapshot.ConvWaiting}}}
	if err := s.Publish(ctx, list, time.Minute); err != nil {
		t.Fatal(err)
	}
	if l, err := s.Published(ctx, "lp:7"); err != nil || l != nil {
		t.Fatalf("a follower's publication was stored: %+v, %v", l, err)
	}
	leading.Store(true)
	if err := s.Publish(ctx, list, time.Minute); err != nil {
		t.Fatal(err)
	}
	if l, err := s.Published(ctx, "lp:7"); err != nil || l == nil || len(l.Open) != 1 || l.Open[0].ID != "c1" {
		t.Fatalf("Published = %+v, %v", l, err)
	}
}
