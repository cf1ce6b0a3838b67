package liveperson_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// dayRig is a simulator on a test clock (the simulated one: the simulator's real
// clock is its own simulated time, so tokens and windows agree) and a connector on
// the same clock whose day begins at 06:00 on the floor.
func dayRig(t *testing.T, start time.Time) (*simulator.Simulator, *liveperson.Source) {
	t.Helper()
	sim, lp, _ := dayRigClient(t, start)
	return sim, lp
}

// dayRigClient is dayRig with the connector's HTTP client, to count its requests.
func dayRigClient(t *testing.T, start time.Time) (*simulator.Simulator, *liveperson.Source, *poller.Client) {
	t.Helper()
	var sim *simulator.Simulator
	simCfg := simulator.DefaultCredentials()
	simCfg.Seed, simCfg.Manual, simCfg.RateLimit = 3, true, -1
	simCfg.Start, simCfg.WarmUp = start, 6*time.Hour
	simCfg.Clock = func() time.Time { return sim.Now() }
	sim = simulator.New(simCfg)
	srv := httptest.NewServer(sim.Handler(simliveperson.Routes))
	t.Cleanup(srv.Close)
	acct := simCfg.LivePerson
	c := &poller.Client{Timeout: 5 * time.Second}
	lp, err := liveperson.New(liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: srv.URL, Insecure: true,
		ClientID: acct.ClientID, ClientSecret: acct.ClientSecret, Now: sim.Now,
		Day: snapshot.Day{Loc: start.Location(), Reset: 6 * time.Hour}}, c)
	if err != nil {
		t.Fatal(err)
	}
	return sim, lp, c
}

// TestLivePersonTodayAcrossReset: the LivePerson "today" figures, agents' handled
// today and day activity agree with the simulator's ground truth over the window
// since 06:00, and a test clock crossing 06:00 starts them again from the reset.
func TestLivePersonTodayAcrossReset(t *testing.T) {
	t.Parallel()
	floor := time.FixedZone("floor", 2*3600)
	sim, lp := dayRig(t, time.Date(2025, 3, 12, 5, 52, 0, 0, floor))
	reset := func(day int) time.Time { return time.Date(2025, 3, day, 6, 0, 0, 0, floor) }

	before := poll(t, lp)
	checkToday(t, "before 06:00", sim, before, reset(11))
	sim.Advance(48 * time.Minute) // 06:40: a new day
	after := poll(t, lp)
	checkToday(t, "after 06:00", sim, after, reset(12))
	b, _ := before.Accounts[0].Today.ChatRequests.Get()
	a, _ := after.Accounts[0].Today.ChatRequests.Get()
	if a >= b {
		t.Errorf("chat requests %d after the reset, %d before: the reset did not start the day again", a, b)
	}
}

// checkToday compares a poll with the truth over (from, now].
func checkToday(t *testing.T, when string, sim *simulator.Simulator, p snapshot.Part, from time.Time) {
	t.Helper()
	td := p.Accounts[0].Today
	if !td.Since.Equal(from) {
		t.Errorf("%s: today since %v, want %v", when, td.Since, from)
	}
	var msg simulator.Quality
	var entered, answered, abandoned, resolved int
	var waitSum time.Duration
	sim.View(func(wd *simulator.World) {
		for _, e := range wd.EventsSince(from) {
			if e.Vendor != simulator.VendorLivePerson || !e.At.After(from) {
				continue
			}
			switch {
			case e.Channel == snapshot.Chat && e.Kind == simulator.EventArrived:
				entered++
			case e.Channel == snapshot.Chat && e.Kind == simulator.EventAnswered:
				answered++
				waitSum += e.Wait
			case e.Channel == snapshot.Chat && e.Kind == simulator.EventAbandoned:
				abandoned++
			case e.Channel == snapshot.Messaging && e.Kind == simulator.EventClosed:
				resolved++
			}
		}
		msg = wd.QualitySince(simulator.VendorLivePerson, "", snapshot.Messaging, from)
		agents := map[string]snapshot.Agent{}
		for _, a := range p.Agents {
			agents[a.ID] = a
		}
		for _, sa := range wd.AgentsOf(simulator.VendorLivePerson) {
			a, ok := agents[sa.ID]
			if !ok {
				continue
			}
			// LivePerson counts the conversations an agent closed (engactivity,
			// msgconversation), not the ones they transferred on.
			closed := 0
			for _, e := range wd.EventsSince(from) {
				if e.Agent == sa.ID && e.Kind == simulator.EventClosed && e.At.After(from) {
					closed++
				}
			}
			wantOpt(t, when+": agent "+sa.ID+" handled today", a.HandledToday, int64(closed))
			if act := wd.ActivitySince(sa, from); act.LoggedIn() > 0 {
				if a.Activity == nil {
					t.Errorf("%s: agent %s has no activity", when, sa.ID)
					continue
				}
				wantActivity(t, sa.ID, a.Activity, act)
			}
		}
	})
	if entered == 0 || answered == 0 {
		t.Fatalf("%s: no chats since %v; pick a start where the comparison means something", when, from)
	}
	wantOpt(t, when+": requests", td.ChatRequests, int64(entered))
	wantOpt(t, when+": handled", td.Chats, int64(answered))
	wantOpt(t, when+": abandoned", td.Abandoned, int64(abandoned))
	wantNear(t, when+": avg wait", td.AvgWait, waitSum/time.Duration(answered))
	wantOpt(t, when+": resolved", td.Resolved, int64(resolved))
	if !td.ServiceLevel.Known() {
		t.Errorf("%s: service level unknown", when)
	}
	if n := msg.Rated(); n > 0 {
		wantOpt(t, when+": csat", td.CSAT, float64(msg.Positive())/float64(n))
	}
}

// TestLivePersonQualityAgreesWithTruth: CSAT, time to first response and response
// time per messaging skill are the simulator's since the reset.
func TestLivePersonQualityAgreesWithTruth(t *testing.T) {
	t.Parallel()
	floor := time.FixedZone("floor", 0)
	sim, lp := dayRig(t, time.Date(2025, 3, 12, 11, 30, 0, 0, floor))
	from := time.Date(2025, 3, 12, 6, 0, 0, 0, floor)
	p := poll(t, lp)
	var compared int
	sim.View(func(wd *simulator.World) {
		for _, sk := range wd.SkillsOf(simulator.VendorLivePerson) {
			if !sk.Serves(snapshot.Messaging) {
				continue
			}
			truth := wd.QualitySince(simulator.VendorLivePerson, sk.ID, snapshot.Messaging, from)
			var q snapshot.Queue
			for _, s := range p.Skills {
				if s.ID == sk.ID {
					q, _ = s.Queue(snapshot.Messaging)
				}
			}
			if truth.Answered == 0 {
				continue
			}
			compared++
			ms := func(d time.Duration) time.Duration { return d.Truncate(time.Millisecond) }
			n := time.Duration(truth.Answered)
			wantNearMS(t, sk.ID+" first response", q.FirstResponse, ms(truth.FirstResponseSum)/n)
			wantNearMS(t, sk.ID+" response time", q.ResponseTime, ms(truth.ResponseSum)/n)
			if r := truth.Rated(); r > 0 {
				wantOpt(t, sk.ID+" csat", q.CSAT, float64(truth.Positive())/float64(r))
				wantOpt(t, sk.ID+" csat answers", q.CSATAnswers, int64(r))
			}
			if !q.QualitySince.Equal(from) {
				t.Errorf("%s quality since %v, want %v", sk.ID, q.QualitySince, from)
			}
		}
	})
	if compared == 0 {
		t.Fatal("no messaging skill answered anything since 06:00")
	}
}

// wantNearMS allows the milliseconds the vendor rounds times to.
func wantNearMS(t *testing.T, what string, got snapshot.Opt[time.Duration], want time.Duration) {
	t.Helper()
	g, ok := got.Get()
	if d := g - want; !ok || d > time.Millisecond || d < -time.Millisecond {
		t.Errorf("%s = %v (known %v), want %v ±1ms", what, g, ok, want)
	}
}

// TestLivePersonDayCostPerMinute: over a minute of 10 s polls the day requests are
// made once (the first poll and the one a minute later), so a minute's requests
// stay within the default LivePerson budget of 120 a minute.
func TestLivePersonDayCostPerMinute(t *testing.T) {
	t.Parallel()
	sim, lp, c := dayRigClient(t, time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC))
	var perPoll []int64
	last := int64(0)
	for range 7 {
		poll(t, lp)
		n := c.Requests()
		perPoll = append(perPoll, n-last)
		last = n
		sim.Advance(10 * time.Second)
	}
	t.Logf("requests per poll over 70 s: %v", perPoll)
	// Polls 2–6 make only the per-poll requests; the seventh, 60 s after the first,
	// adds the day requests again (chat 2, messaging 2 + one KMM page).
	for i := 2; i < 6; i++ {
		if perPoll[i] != perPoll[1] {
			t.Errorf("poll %d cost %d, poll 2 %d: the day requests are not cached", i+1, perPoll[i], perPoll[1])
		}
	}
	if day := perPoll[6] - perPoll[1]; day != 5 {
		t.Errorf("a minute later the day requests cost %d, want 5 (repeated once a minute)", day)
	}
	var minute int64
	for _, n := range perPoll[1:] {
		minute += n
	}
	if minute > 120 {
		t.Errorf("a minute of 10 s polls costs %d requests, over the default budget of 120", minute)
	}
}
