package simulator

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// noon is a fixed start on a weekday lunch peak, in a fixed zone.
var noon = time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)

func newManual(t *testing.T, seed int64, start time.Time) *Simulator {
	t.Helper()
	cfg := DefaultCredentials()
	cfg.Seed, cfg.Start, cfg.Manual = seed, start, true
	return New(cfg)
}

func truthJSON(t *testing.T, s *Simulator) string {
	t.Helper()
	b, err := json.Marshal(s.Truth())
	if err != nil {
		t.Fatalf("marshal truth: %v", err)
	}
	return string(b)
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	run := func(seed int64) string {
		s := newManual(t, seed, noon)
		s.Advance(10 * time.Minute)
		s.Advance(1500 * time.Millisecond) // remainder carried, not lost
		s.Advance(500 * time.Millisecond)
		return truthJSON(t, s)
	}
	a, b, c := run(7), run(7), run(8)
	if a != b {
		t.Errorf("same seed gave different truth:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave identical truth")
	}
}

func TestAdvanceSteps(t *testing.T) {
	t.Parallel()
	s := newManual(t, 1, noon)
	if got := s.Now(); !got.Equal(noon) {
		t.Fatalf("Now after New = %v, want %v (start after warm-up)", got, noon)
	}
	s.Advance(90 * time.Second)
	s.Advance(400 * time.Millisecond)
	if got, want := s.Now(), noon.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	s.Advance(600 * time.Millisecond)
	if got, want := s.Now(), noon.Add(91*time.Second); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
}

func TestFloorShape(t *testing.T) {
	t.Parallel()
	s := newManual(t, 3, noon)
	tr := s.Truth()
	count := map[Vendor][2]int{}
	ids := map[string]bool{}
	for _, sk := range tr.Skills {
		c := count[sk.Vendor]
		c[0]++
		count[sk.Vendor] = c
		if ids[sk.ID] {
			t.Errorf("duplicate skill id %q", sk.ID)
		}
		ids[sk.ID] = true
	}
	for _, a := range tr.Agents {
		c := count[a.Vendor]
		c[1]++
		count[a.Vendor] = c
		if a.MaxChats < 1 || a.MaxChats > 4 {
			t.Errorf("agent %s max chats %d, want 1..4", a.ID, a.MaxChats)
		}
		if len(a.Skills) == 0 {
			t.Errorf("agent %s serves no skill", a.ID)
		}
	}
	if got, want := count[VendorComm100], [2]int{6, 40}; got != want {
		t.Errorf("comm100 skills/agents = %v, want %v", got, want)
	}
	if got, want := count[VendorLivePerson], [2]int{5, 30}; got != want {
		t.Errorf("liveperson skills/agents = %v, want %v", got, want)
	}
	var chat, msg bool
	for _, sk := range tr.Skills {
		if sk.Vendor == VendorLivePerson {
			chat = chat || slicesContains(sk.Channels, snapshot.Chat)
			msg = msg || slicesContains(sk.Channels, snapshot.Messaging)
		}
	}
	if !chat || !msg {
		t.Errorf("liveperson skills: chat %v messaging %v, want both", chat, msg)
	}
}

func slicesContains(cs []snapshot.Channel, c snapshot.Channel) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// checkInvariants verifies what must hold at every instant.
func checkInvariants(t *testing.T, w *World) {
	t.Helper()
	waiting := map[Vendor]int{}
	for _, c := range w.Waiting {
		waiting[c.Vendor]++
		if c.Agent != "" {
			t.Fatalf("%v: waiting contact %s has agent %s", w.Now, c.ID, c.Agent)
		}
		if w.Now.Before(c.Arrived) {
			t.Fatalf("%v: contact %s arrived in the future", w.Now, c.ID)
		}
	}
	for _, a := range w.Agents {
		if len(a.Open) > a.MaxChats {
			t.Fatalf("%v: agent %s has %d open, max %d", w.Now, a.ID, len(a.Open), a.MaxChats)
		}
		if a.Status == StatusOffline && len(a.Open) > 0 {
			t.Fatalf("%v: offline agent %s has %d open", w.Now, a.ID, len(a.Open))
		}
		if a.Status == StatusBackSoon && a.Vendor != VendorLivePerson {
			t.Fatalf("%v: %s agent %s is back soon", w.Now, a.Vendor, a.ID)
		}
		for _, c := range a.Open {
			if !a.Serves(c.Skill) && c.Transfers == 0 {
				t.Fatalf("%v: agent %s serves contact of skill %s it does not work", w.Now, a.ID, c.Skill)
			}
		}
	}
	for _, v := range []Vendor{VendorComm100, VendorLivePerson} {
		tot := w.totals(v)
		if got, want := tot.Offered, tot.Answered+tot.Abandoned+tot.Switched+waiting[v]; got != want {
			t.Fatalf("%v: %s offered %d, answered+abandoned+switched+waiting = %d", w.Now, v, got, want)
		}
	}
}

func TestInvariantsOverADay(t *testing.T) {
	t.Parallel()
	s := newManual(t, 11, time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC))
	var maxWaiting int
	var sawAway, sawBackSoon, sawBusy bool
	for range 24 * 60 {
		s.Advance(time.Minute)
		s.View(func(w *World) {
			checkInvariants(t, w)
			maxWaiting = max(maxWaiting, len(w.Waiting))
			for _, a := range w.Agents {
				sawAway = sawAway || a.Status == StatusAway
				sawBackSoon = sawBackSoon || a.Status == StatusBackSoon
				sawBusy = sawBusy || a.State() == snapshot.Busy
			}
		})
	}
	if !sawAway || !sawBackSoon || !sawBusy {
		t.Errorf("over a day saw away %v, back soon %v, busy %v; want all", sawAway, sawBackSoon, sawBusy)
	}
	if maxWaiting == 0 {
		t.Errorf("no contact ever waited over a day")
	}
	tr := s.Truth()
	for _, acc := range tr.Accounts {
		// The run ends just after midnight: "today" has started again.
		if acc.Today.Requests*10 > acc.Totals.Offered {
			t.Errorf("%s today %d requests of %d in the whole day: want a reset at midnight", acc.Vendor, acc.Today.Requests, acc.Totals.Offered)
		}
		if acc.Totals.Answered == 0 || acc.Totals.Abandoned == 0 || acc.Totals.Transferred == 0 {
			t.Errorf("%s totals %+v: want answers, abandons and transfers", acc.Vendor, acc.Totals)
		}
	}
}

func TestDailyCurveShape(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return time.Date(2025, 3, 12, h, 0, 0, 0, time.UTC) }
	if n, q := DailyCurve(at(12)), DailyCurve(at(3)); n <= 5*q {
		t.Errorf("curve at noon %.2f, at 3am %.2f: want noon well above night", n, q)
	}
	// Arrivals actually follow it: count new contacts in an hour around each time.
	arrivals := func(h int) int {
		s := newManual(t, 5, at(h))
		before := s.Truth()
		s.Advance(time.Hour)
		after := s.Truth()
		n := 0
		for i := range after.Accounts {
			n += after.Accounts[i].Totals.Offered - before.Accounts[i].Totals.Offered
		}
		return n
	}
	if n, q := arrivals(12), arrivals(3); n <= 3*q {
		t.Errorf("arrivals noon-1pm %d, 3-4am %d: want many more at noon", n, q)
	}
}

func TestQueueGrowsWhenAllAway(t *testing.T) {
	t.Parallel()
	s := newManual(t, 2, noon)
	awayAll := func(w *World) {
		for _, a := range w.Agents {
			if a.Status != StatusOffline {
				a.breakUntil = w.Now.Add(24 * time.Hour)
				w.setStatus(a, StatusAway, plainAway(a.Vendor))
			}
		}
	}
	s.View(awayAll)
	waiting := func() int {
		n := 0
		for _, sk := range s.Truth().Skills {
			n += sk.Waiting
		}
		return n
	}
	before := waiting()
	s.Advance(2 * time.Minute)
	after := waiting()
	if after <= before {
		t.Errorf("waiting %d -> %d with every agent away: want growth", before, after)
	}
	answeredBefore := s.Truth().Accounts[0].Totals.Answered
	s.Advance(time.Minute)
	if got := s.Truth().Accounts[0].Totals.Answered; got != answeredBefore {
		t.Errorf("answered %d -> %d with every agent away: want none", answeredBefore, got)
	}
}

func TestTruthMatchesWorld(t *testing.T) {
	t.Parallel()
	s := newManual(t, 4, noon)
	s.Advance(20 * time.Minute)
	tr := s.Truth()
	var states snapshot.StateCounts
	for _, a := range tr.Agents {
		states.Add(a.State)
		if a.State == snapshot.Available && a.Open >= a.MaxChats {
			t.Errorf("agent %s available with %d/%d open", a.ID, a.Open, a.MaxChats)
		}
		if a.State == snapshot.Busy && a.Open < a.MaxChats {
			t.Errorf("agent %s busy with %d/%d open", a.ID, a.Open, a.MaxChats)
		}
	}
	if states.Available+states.Busy == 0 {
		t.Errorf("no agent online at noon: %+v", states)
	}
	for _, sk := range tr.Skills {
		sum := QueueTruth{}
		for _, q := range sk.Queues {
			sum.Waiting += q.Waiting
			sum.Ongoing += q.Ongoing
			sum.Answered30m += q.Answered30m
		}
		if sum.Waiting != sk.Waiting || sum.Ongoing != sk.Ongoing || sum.Answered30m != sk.Answered30m {
			t.Errorf("skill %s: channels sum %+v, skill %+v", sk.ID, sum, sk.QueueTruth)
		}
		if sk.Answered30m != len(sk.Waits30m) {
			t.Errorf("skill %s: answered30m %d, waits %d", sk.ID, sk.Answered30m, len(sk.Waits30m))
		}
	}
	again := s.Truth()
	if !reflect.DeepEqual(tr, again) {
		t.Errorf("Truth changed without time passing")
	}
}

func TestRunAdvancesWithRealTime(t *testing.T) {
	t.Parallel()
	cfg := DefaultCredentials()
	cfg.Start, cfg.Speed, cfg.WarmUp = noon, 600, -1
	s := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for !s.Now().After(noon.Add(time.Minute)) {
		if time.Now().After(deadline) {
			t.Fatalf("simulated time still %v after 10s at speed 600", s.Now())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}

	cfg.Manual = true
	m := New(cfg)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	m.Run(ctx2) // returns at once in manual mode
	if ctx2.Err() != nil {
		t.Errorf("Run blocked in manual mode")
	}
	if got := m.Now(); !got.Equal(noon) {
		t.Errorf("manual Now = %v, want %v", got, noon)
	}
}
