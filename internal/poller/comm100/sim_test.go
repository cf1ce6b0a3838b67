package comm100_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/comm100"
	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	"github.com/ccdash/ccdash/internal/snapshot"
)

var simSite = simulator.Comm100Site{SiteID: 4242, Email: "sim@example.com", APIKey: "sim-key", ClientID: "sim-client", Password: "sim-pw"}

// simStart is the simulated start; newSim advances an hour past it.
var simStart = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

// newSim starts a manual-mode simulator at 10:00 on a working day, served over HTTP.
// Seed and start are chosen so that contacts are waiting: the comparison then covers
// non-zero queue figures, not only zeros.
func newSim(t *testing.T) (*simulator.Simulator, *httptest.Server) {
	t.Helper()
	sim := simulator.New(simulator.Config{
		Seed: 4, Manual: true, Comm100: simSite,
		Start: simStart,
	})
	sim.Advance(time.Hour)
	srv := httptest.NewServer(sim.Handler(simcomm100.Routes))
	t.Cleanup(srv.Close)
	return sim, srv
}

func simConnector(t *testing.T, srv *httptest.Server, oauth bool, c *poller.Client) *comm100.Source {
	t.Helper()
	// The floor's day: midnight UTC on the simulated clock.
	cfg := comm100.Config{BaseURL: srv.URL + "/v4", Email: simSite.Email, PageSize: 7,
		Day: snapshot.Day{Loc: time.UTC}, Now: func() time.Time { return simStart.Add(time.Hour) }}
	if oauth {
		cfg.TokenURL, cfg.ClientID, cfg.Password = srv.URL+"/oauth/token", simSite.ClientID, simSite.Password
	} else {
		cfg.SiteID, cfg.APIKey = simSite.SiteID, simSite.APIKey
	}
	s, err := comm100.New(cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestComm100AgreesWithSimulator(t *testing.T) {
	t.Parallel()
	for _, auth := range []struct {
		name  string
		oauth bool
	}{{"api key", false}, {"oauth", true}} {
		t.Run(auth.name, func(t *testing.T) {
			t.Parallel()
			sim, srv := newSim(t)
			src := simConnector(t, srv, auth.oauth, &poller.Client{HTTP: srv.Client()})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			part, err := src.Poll(ctx)
			if err != nil {
				t.Fatalf("Poll: %v", err)
			}
			truth := sim.Truth() // manual mode: nothing moved since the poll
			if truth.Accounts[0].Vendor != simulator.VendorComm100 || truth.Accounts[0].Waiting == 0 {
				t.Fatal("nobody waits in the simulated floor: pick a seed/start where the queue comparison means something")
			}
			snap := snapshot.Merge(nil, []snapshot.Part{part}, nil, truth.Now)
			compareWithTruth(t, snap, truth)
		})
	}
}

// compareWithTruth checks every Comm100 skill and agent of snap against the simulator.
func compareWithTruth(t *testing.T, snap *snapshot.Snapshot, truth simulator.Truth) {
	t.Helper()
	skills, agents := 0, 0
	for _, st := range truth.Skills {
		if st.Vendor != simulator.VendorComm100 {
			continue
		}
		skills++
		sk, ok := snap.Skill("comm100:" + st.ID)
		if !ok {
			t.Errorf("department %s (%s) missing", st.ID, st.Name)
			continue
		}
		q, _ := sk.Queue(snapshot.Chat)
		got := map[string]any{"name": sk.Name, "waiting": q.Waiting.Or(-1), "longest": q.LongestWait.Or(-1),
			"ongoing": q.Ongoing.Or(-1), "abandoned30m": q.Abandoned30m.Or(-1), "avgWait30m": q.AvgWait30m.Or(-1),
			"avgWait60m": q.AvgWait60m.Or(-1), "agents": sk.Agents}
		want := map[string]any{"name": st.Name, "waiting": int64(st.Waiting), "longest": st.LongestWait,
			"ongoing": int64(st.Ongoing), "abandoned30m": int64(st.Abandoned30m), "avgWait30m": st.AvgWait30m.Truncate(time.Second),
			"avgWait60m": st.AvgWait60m.Truncate(time.Second), "agents": st.Agents}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("department %s %s = %v, want %v", st.Name, k, got[k], want[k])
			}
		}
	}
	for _, at := range truth.Agents {
		if at.Vendor != simulator.VendorComm100 {
			continue
		}
		agents++
		i := slices.IndexFunc(snap.Agents, func(a snapshot.Agent) bool { return a.Key == "comm100:"+at.ID })
		if i < 0 {
			t.Errorf("agent %s missing", at.ID)
			continue
		}
		a := snap.Agents[i]
		var wantSkills []string
		for _, s := range at.Skills {
			wantSkills = append(wantSkills, "comm100:"+s)
		}
		slices.Sort(wantSkills)
		wantMax := snapshot.None[int64]()
		if at.MaxChats > 0 {
			wantMax = snapshot.Some(int64(at.MaxChats))
		}
		if a.Name != at.Name || a.State != at.State || a.Reason != at.Reason || a.Open != snapshot.Some(int64(at.Open)) ||
			a.MaxSlots != wantMax || a.HandledToday != snapshot.Some(int64(at.HandledToday)) || !slices.Equal(a.Skills, wantSkills) {
			t.Errorf("agent %s = %s/%s/%q open %v max %v handled %v skills %v;\nwant %s/%s/%q open %d max %d handled %d skills %v",
				at.ID, a.Name, a.State, a.Reason, a.Open.Or(-1), a.MaxSlots.Or(-1), a.HandledToday.Or(-1), a.Skills,
				at.Name, at.State, at.Reason, at.Open, at.MaxChats, at.HandledToday, wantSkills)
		}
	}
	if skills == 0 || agents == 0 || len(snap.Skills) != skills || len(snap.Agents) != agents {
		t.Errorf("snapshot has %d skills / %d agents, truth %d / %d", len(snap.Skills), len(snap.Agents), skills, agents)
	}
	var states snapshot.StateCounts
	for _, a := range snap.Agents {
		states.Add(a.State)
	}
	if states.Available+states.Busy == 0 || states.Offline == 0 {
		t.Errorf("states %+v: an hour into the day the floor should have online and offline agents", states)
	}
}
