package liveperson_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpAgainstSim starts a simulator (manual clock) and a LivePerson source on it.
func lpAgainstSim(t *testing.T, mod func(*liveperson.Config)) (*simulator.Simulator, *liveperson.Source, *poller.Client) {
	t.Helper()
	simCfg := simulator.DefaultCredentials()
	simCfg.Manual = true
	simCfg.RateLimit = -1
	// On a whole minute, with the connector on the simulated clock: the day windows
	// the connector asks for (whole minutes since the reset) then start exactly at
	// the reset.
	simCfg.Start = time.Now().Truncate(time.Minute)
	sim := simulator.New(simCfg)
	srv := httptest.NewServer(sim.Handler(simliveperson.Routes))
	t.Cleanup(srv.Close)
	acct := simCfg.LivePerson
	cfg := liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: srv.URL, Insecure: true,
		AppKey: acct.ConsumerKey, Secret: acct.ConsumerSecret, AccessToken: acct.Token, AccessTokenSecret: acct.TokenSecret,
		Timeframe: 60, Bucket: 30, Now: sim.Now}
	if mod != nil {
		mod(&cfg)
	}
	c := &poller.Client{Timeout: 5 * time.Second}
	lp, err := liveperson.New(cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	return sim, lp, c
}

func poll(t *testing.T, lp *liveperson.Source) snapshot.Part {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	p, err := lp.Poll(ctx)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return p
}

// TestLivePersonAgreesWithSimulatorTruth polls the simulator through the real
// connector (Domain API, OAuth, every method family) and compares the Part with the
// simulator's ground truth for chat and messaging skills and for agents.
func TestLivePersonAgreesWithSimulatorTruth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(*liveperson.Config)
	}{
		{name: "oauth1 kmm"},
		{name: "oauth2 agentmetrics", mod: func(c *liveperson.Config) {
			acct := simulator.DefaultCredentials().LivePerson
			c.AppKey, c.Secret, c.AccessToken, c.AccessTokenSecret = "", "", "", ""
			c.ClientID, c.ClientSecret = acct.ClientID, acct.ClientSecret
			c.Agents = liveperson.AgentsAgentMetrics
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim, lp, c := lpAgainstSim(t, tc.mod)
			p := poll(t, lp)
			truth := sim.Truth()
			t.Logf("one poll made %d requests", c.Requests())

			var chatSkills, msgSkills int
			for _, st := range truth.Skills {
				if st.Vendor != simulator.VendorLivePerson {
					continue
				}
				var sk *snapshot.Skill
				for i := range p.Skills {
					if p.Skills[i].ID == st.ID {
						sk = &p.Skills[i]
					}
				}
				if sk == nil {
					t.Errorf("skill %s (%s) missing", st.ID, st.Name)
					continue
				}
				if sk.Name != st.Name {
					t.Errorf("skill %s name = %q, want %q", st.ID, sk.Name, st.Name)
				}
				for _, qt := range st.Queues {
					q, ok := sk.Queue(qt.Channel)
					if !ok {
						t.Errorf("skill %s: no %s queue", st.ID, qt.Channel)
						continue
					}
					what := st.ID + "/" + string(qt.Channel)
					wantOpt(t, what+" waiting", q.Waiting, int64(qt.Waiting))
					wantOpt(t, what+" longest wait", q.LongestWait, qt.LongestWait.Truncate(time.Millisecond))
					switch qt.Channel {
					case snapshot.Chat:
						chatSkills++
						wantOpt(t, what+" abandoned 30m", q.Abandoned30m, int64(qt.Abandoned30m))
						wantOpt(t, what+" handled 60m", q.Handled, int64(qt.Answered60m))
						if qt.Answered30m > 0 {
							wantNear(t, what+" avg wait 30m", q.AvgWait30m, qt.AvgWait30m)
							var sl float64
							for _, w := range qt.Waits30m {
								if w < q.ServiceLevelTarget.Or(0) {
									sl++
								}
							}
							wantOpt(t, what+" service level", q.ServiceLevel, sl/float64(len(qt.Waits30m)))
						}
						if qt.Answered60m > 0 {
							wantNear(t, what+" avg wait 60m", q.AvgWait60m, qt.AvgWait60m)
						}
					case snapshot.Messaging:
						msgSkills++
						if tc.mod == nil { // KMM metrics only with agents kmm
							wantOpt(t, what+" ongoing", q.Ongoing, int64(qt.Ongoing))
						}
					}
				}
				if len(sk.Queues) != len(st.Queues) {
					t.Errorf("skill %s: %d queues, want %d", st.ID, len(sk.Queues), len(st.Queues))
				}
			}
			if chatSkills == 0 || msgSkills == 0 {
				t.Fatalf("simulated floor has %d chat and %d messaging LP queues; the test needs both", chatSkills, msgSkills)
			}

			agents := map[string]snapshot.Agent{}
			for _, a := range p.Agents {
				agents[a.ID] = a
			}
			var loggedIn int
			for _, at := range truth.Agents {
				if at.Vendor != simulator.VendorLivePerson {
					continue
				}
				a, ok := agents[at.ID]
				if at.State == snapshot.Offline {
					if ok {
						t.Errorf("offline agent %s listed", at.ID)
					}
					continue
				}
				loggedIn++
				if !ok {
					t.Errorf("agent %s (%s) missing", at.ID, at.State)
					continue
				}
				if a.State != at.State || a.Reason != at.Reason || a.Name != at.Name || !a.Since.Equal(at.Since) {
					t.Errorf("agent %s = %s %q %q %v, want %s %q %q %v", at.ID, a.State, a.Reason, a.Name, a.Since, at.State, at.Reason, at.Name, at.Since)
				}
				wantOpt(t, "agent "+at.ID+" open", a.Open, int64(at.Open))
				wantOpt(t, "agent "+at.ID+" max slots", a.MaxSlots, int64(at.MaxChats))
				var want []string
				for _, s := range at.Skills {
					want = append(want, "lp:"+s)
				}
				if strings.Join(a.Skills, ",") != strings.Join(want, ",") {
					t.Errorf("agent %s skills = %v, want %v", at.ID, a.Skills, want)
				}
			}
			if loggedIn == 0 {
				t.Fatal("no LP agent logged in; the test needs some")
			}
			// agentactivity: the day so far per state is the floor's time per status
			// since midnight: exactly its presence record over the window the
			// connector asked for, and the engine's own day counters ±1 s (they also
			// count the midnight instant; the vendor docs allow 1 s between parts).
			var withActivity int
			sim.View(func(wd *simulator.World) {
				day := snapshot.Day{}.Start(wd.Now)
				for _, sa := range wd.AgentsOf(simulator.VendorLivePerson) {
					a, ok := agents[sa.ID]
					if !ok {
						continue
					}
					if a.Activity == nil {
						t.Errorf("agent %s has no activity", sa.ID)
						continue
					}
					withActivity++
					wantActivity(t, sa.ID, a.Activity, wd.ActivitySince(sa, day))
					st := sa.StatusTimeToday
					near(t, "agent "+sa.ID+" online vs engine", a.Activity.Online, st[simulator.StatusOnline])
					near(t, "agent "+sa.ID+" away vs engine", a.Activity.Away, st[simulator.StatusAway])
				}
			})
			if withActivity == 0 {
				t.Error("no agent with activity to compare")
			}
			wantOpt(t, "logged in", p.Accounts[0].RightNow.LoggedInAgents, int64(loggedIn))
		})
	}
}

// TestLivePersonAuthFailures: wrong credentials are an auth error on the source,
// after one request, not a crash or a retry storm.
func TestLivePersonAuthFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(*liveperson.Config)
	}{
		{name: "wrong consumer secret", mod: func(c *liveperson.Config) { c.Secret = "wrong" }},
		{name: "wrong token", mod: func(c *liveperson.Config) { c.AccessToken = "wrong" }},
		{name: "clock 10 minutes off", mod: func(c *liveperson.Config) {
			c.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
		}},
		{name: "wrong client secret", mod: func(c *liveperson.Config) {
			c.AppKey, c.Secret, c.AccessToken, c.AccessTokenSecret = "", "", "", ""
			c.ClientID, c.ClientSecret = simulator.DefaultCredentials().LivePerson.ClientID, "wrong"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, lp, c := lpAgainstSim(t, tc.mod)
			_, err := lp.Poll(context.Background())
			var pe *poller.Error
			if !errors.As(err, &pe) || pe.Kind != snapshot.ErrAuth || pe.Status != 401 {
				t.Fatalf("Poll err = %v, want *poller.Error kind auth status 401", err)
			}
			if strings.Contains(err.Error(), "wrong") {
				t.Errorf("error leaks a credential: %v", err)
			}
			// Domain API + config (names are best-effort) + the first data call.
			if n := c.Requests(); n > 5 {
				t.Errorf("a failing poll sent %d requests, want at most 5", n)
			}
		})
	}
}

func wantOpt[T comparable](t *testing.T, what string, got snapshot.Opt[T], want T) {
	t.Helper()
	g, ok := got.Get()
	if !ok {
		t.Errorf("%s unknown, want %v", what, want)
		return
	}
	if g != want {
		t.Errorf("%s = %v, want %v", what, g, want)
	}
}

// wantNear allows the truth's rounding of averages to whole seconds.
func wantNear(t *testing.T, what string, got snapshot.Opt[time.Duration], want time.Duration) {
	t.Helper()
	g, ok := got.Get()
	if !ok {
		t.Errorf("%s unknown, want %v", what, want)
		return
	}
	if d := g - want; d > time.Second || d < -time.Second {
		t.Errorf("%s = %v, want %v ±1s", what, g, want)
	}
}

// wantActivity compares a connector's activity with the simulator's presence record.
func wantActivity(t *testing.T, id string, got *snapshot.Activity, want simulator.Activity) {
	t.Helper()
	st := want.Status
	wantOpt(t, "agent "+id+" online today", got.Online, st[simulator.StatusOnline])
	wantOpt(t, "agent "+id+" back soon today", got.BackSoon, st[simulator.StatusBackSoon])
	wantOpt(t, "agent "+id+" away today", got.Away, st[simulator.StatusAway])
	wantOpt(t, "agent "+id+" logged in today", got.LoggedIn, want.LoggedIn())
	wantOpt(t, "agent "+id+" chatting today", got.Chatting, want.Chatting)
	var reasons, wantReasons time.Duration
	for _, r := range got.AwayReasons {
		reasons += r.Time
	}
	for _, d := range want.Reasons {
		wantReasons += d
	}
	if reasons != wantReasons {
		t.Errorf("agent %s away reasons %v, want %v", id, reasons, wantReasons)
	}
}

// near allows the one second the vendor docs allow between parts of a day.
func near(t *testing.T, what string, got snapshot.Opt[time.Duration], want time.Duration) {
	t.Helper()
	g, ok := got.Get()
	if d := g - want; !ok || d > time.Second || d < -time.Second {
		t.Errorf("%s = %v (known %v), want %v ±1s", what, g, ok, want)
	}
}
