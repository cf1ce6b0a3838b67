package comm100_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/comm100"
	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestComm100TodayAcrossReset: realTime/Today asked with utcOffset/startTime/endTime
// for a day that begins at 06:00 agrees with the simulator's figures since 06:00,
// before and after a test clock crosses it; agents' chat time
// (intradayLinearChatTime) and chats today come from the same window.
func TestComm100TodayAcrossReset(t *testing.T) {
	t.Parallel()
	floor := time.FixedZone("floor", -5*3600)
	var sim *simulator.Simulator
	sim = simulator.New(simulator.Config{Seed: 4, Manual: true, Comm100: simSite, WarmUp: 6 * time.Hour,
		Start: time.Date(2025, 3, 4, 5, 50, 0, 0, floor), Clock: func() time.Time { return sim.Now() }})
	srv := httptest.NewServer(sim.Handler(simcomm100.Routes))
	t.Cleanup(srv.Close)
	src, err := comm100.New(comm100.Config{BaseURL: srv.URL + "/v4", Email: simSite.Email, SiteID: simSite.SiteID,
		APIKey: simSite.APIKey, Day: snapshot.Day{Loc: floor, Reset: 6 * time.Hour}, Now: sim.Now}, &poller.Client{HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string, from time.Time) int64 {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		part, err := src.Poll(ctx)
		if err != nil {
			t.Fatalf("%s: Poll: %v", when, err)
		}
		td := part.Accounts[0].Today
		if !td.Since.Equal(from) {
			t.Errorf("%s: since %v, want %v", when, td.Since, from)
		}
		var want simulator.DayStats
		var chatting map[string]time.Duration
		var handled map[string]int
		sim.View(func(wd *simulator.World) {
			want = wd.DaySince(simulator.VendorComm100, from)
			chatting, handled = map[string]time.Duration{}, map[string]int{}
			for _, a := range wd.AgentsOf(simulator.VendorComm100) {
				chatting[a.ID] = wd.ActivitySince(a, from).Chatting
				handled[a.ID] = wd.HandledSince(a.ID, from)
			}
		})
		if want.Requests == 0 {
			t.Fatalf("%s: no chat requests since %v: the comparison would mean nothing", when, from)
		}
		eq(t, when+" requests", td.ChatRequests, int64(want.Requests))
		eq(t, when+" chats", td.Chats, int64(want.Answered))
		eq(t, when+" abandoned", td.Abandoned, int64(want.Abandoned))
		eq(t, when+" missed", td.Missed, int64(want.Missed))
		for _, a := range part.Agents {
			eq(t, when+" agent "+a.ID+" chats today", a.HandledToday, int64(handled[a.ID]))
			if a.Activity == nil {
				t.Errorf("%s: agent %s has no chat time", when, a.ID)
				continue
			}
			eq(t, when+" agent "+a.ID+" chat time", a.Activity.Chatting, chatting[a.ID])
		}
		return td.ChatRequests.Or(-1)
	}
	before := check("before 06:00", time.Date(2025, 3, 3, 6, 0, 0, 0, floor))
	sim.Advance(50 * time.Minute)
	after := check("after 06:00", time.Date(2025, 3, 4, 6, 0, 0, 0, floor))
	if after >= before {
		t.Errorf("requests %d after the reset, %d before: the day did not start again", after, before)
	}
}

func eq[T comparable](t *testing.T, what string, got snapshot.Opt[T], want T) {
	t.Helper()
	if g, ok := got.Get(); !ok || g != want {
		t.Errorf("%s = %v (known %v), want %v", what, g, ok, want)
	}
}
