package comm100_test

import (
	"context"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// runSimPoller runs a Poller with one Comm100 source against srv until the test ends.
func runSimPoller(t *testing.T, srv *httptest.Server, oauth bool, c *poller.Client, sc poller.SourceConfig) *snapshot.Store {
	t.Helper()
	sc.Source = simConnector(t, srv, oauth, c)
	sc.Client = c
	st := snapshot.NewStore()
	p := poller.New(st, []poller.SourceConfig{sc}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("poller did not stop")
		}
	})
	return st
}

// waitStatus waits until the comm100 source's status satisfies cond and returns
// that snapshot.
func waitStatus(t *testing.T, st *snapshot.Store, what string, cond func(snapshot.SourceStatus) bool) *snapshot.Snapshot {
	t.Helper()
	deadline := time.After(8 * time.Second)
	for {
		ch := st.Changed()
		if s := st.Load(); s != nil {
			if ss, ok := s.Source("comm100"); ok && cond(ss) {
				return s
			}
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
			return nil
		}
	}
}

func comm100Status(s *snapshot.Snapshot) snapshot.SourceStatus {
	ss, _ := s.Source("comm100")
	return ss
}

func firstGood(ss snapshot.SourceStatus) bool { return !ss.LastSuccess.IsZero() }

func TestComm100SimFaultsKeepLastGoodData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault simulator.Fault
		want  snapshot.ErrorKind
	}{
		{simulator.Fault{Kind: simulator.FaultServerError, Status: 502}, snapshot.ErrServer},
		{simulator.Fault{Kind: simulator.FaultSlow, Delay: 2 * time.Second}, snapshot.ErrTimeout},
		{simulator.Fault{Kind: simulator.FaultGarbage}, snapshot.ErrBadResponse},
	}
	for _, tc := range tests {
		t.Run(string(tc.fault.Kind), func(t *testing.T) {
			t.Parallel()
			sim, srv := newSim(t)
			c := &poller.Client{HTTP: srv.Client(), Timeout: 200 * time.Millisecond}
			st := runSimPoller(t, srv, false, c, poller.SourceConfig{Interval: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
			good := waitStatus(t, st, "first good poll", firstGood)

			tc.fault.Vendor = simulator.VendorComm100
			sim.SetFault(tc.fault)
			// Fresh figures would differ from here on; the board must keep the old ones.
			sim.Advance(15 * time.Minute)
			bad := waitStatus(t, st, "two failures", func(ss snapshot.SourceStatus) bool { return ss.ConsecutiveFailures >= 2 })
			ss := comm100Status(bad)
			if ss.LastError == nil || ss.LastError.Kind != tc.want || !ss.Failing() {
				t.Fatalf("status = %+v, want failing with %s", ss, tc.want)
			}
			if ss.LastSuccess != comm100Status(good).LastSuccess || !ss.LastAttempt.After(ss.LastSuccess) || ss.Age(bad.TakenAt) <= 0 {
				t.Errorf("status = %+v, want the first success kept and the data ageing", ss)
			}
			if !reflect.DeepEqual(bad.Skills, good.Skills) || !reflect.DeepEqual(bad.Agents, good.Agents) {
				t.Error("skills or agents changed while the source was failing, want the last good Part")
			}

			sim.ClearFaults()
			ok := waitStatus(t, st, "recovery", func(ss snapshot.SourceStatus) bool { return ss.ConsecutiveFailures == 0 })
			compareWithTruth(t, ok, sim.Truth())
		})
	}
}

func TestComm100SimRateLimitStorm(t *testing.T) {
	t.Parallel()
	sim, srv := newSim(t)
	c := &poller.Client{HTTP: srv.Client(), Budget: poller.NewBudget(40, time.Minute)}
	// MaxBackoff above the Retry-After: a Retry-After counts only up to MaxBackoff
	// (TestRetryAfterCappedAtMaxBackoff), and within it is always honoured.
	st := runSimPoller(t, srv, false, c, poller.SourceConfig{Interval: 20 * time.Millisecond, MaxBackoff: 5 * time.Second})
	waitStatus(t, st, "first good poll", firstGood)

	sim.SetFault(simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultRateLimited, RetryAfter: 2 * time.Second})
	first := comm100Status(waitStatus(t, st, "a 429", func(ss snapshot.SourceStatus) bool { return ss.RateLimited >= 1 }))
	if wait := first.NextPoll.Sub(first.LastAttempt); wait < 2*time.Second {
		t.Errorf("after a 429 with Retry-After 2s the next poll is in %v, want at least 2s", wait)
	}
	second := comm100Status(waitStatus(t, st, "a second 429", func(ss snapshot.SourceStatus) bool { return ss.RateLimited >= 2 }))
	if gap := second.LastAttempt.Sub(first.LastAttempt); gap < 2*time.Second {
		t.Errorf("retried %v after a 429 with Retry-After 2s", gap)
	}
	if second.LastError == nil || second.LastError.Kind != snapshot.ErrRateLimited || second.LastSuccess != first.LastSuccess {
		t.Errorf("status = %+v, want rate limited and the last success kept", second)
	}
	// Each 429 ends its poll: a storm costs one request per attempt, inside the budget.
	if got, sent := c.Requests(), int64(sim.Requests("/v4/")); got != sent || got > 40 {
		t.Errorf("client sent %d, simulator saw %d; want equal and within the budget of 40", got, sent)
	}
}

func TestComm100SimBudgetExhausted(t *testing.T) {
	t.Parallel()
	sim, srv := newSim(t)
	// The first poll needs 7 requests (3 look-ups, Agents, Queue, Today, RightNow) and
	// each later one 4, so 12 per minute allows two polls; the third waits for the
	// budget until PollTimeout (2s: long enough that a loaded machine does not time
	// out the good polls, short next to the minute the budget would make it wait).
	const limit = 12
	c := &poller.Client{HTTP: srv.Client(), Budget: poller.NewBudget(limit, time.Minute)}
	st := runSimPoller(t, srv, false, c, poller.SourceConfig{Interval: time.Millisecond, PollTimeout: 2 * time.Second})
	s := waitStatus(t, st, "a poll starved by the budget", func(ss snapshot.SourceStatus) bool { return ss.ConsecutiveFailures >= 1 })
	ss := comm100Status(s)
	if ss.LastError == nil || ss.LastError.Kind != snapshot.ErrTimeout || ss.LastSuccess.IsZero() {
		t.Errorf("status = %+v, want a timeout after good polls", ss)
	}
	if got := sim.Requests("/v4/"); got > limit {
		t.Errorf("simulator saw %d requests, budget is %d", got, limit)
	}
	if len(s.Skills) == 0 {
		t.Error("skills gone while waiting for budget, want the last good Part")
	}
}

func TestComm100SimUnauthorizedNoStorm(t *testing.T) {
	t.Parallel()
	for _, auth := range []struct {
		name       string
		oauth      bool
		wantTokens int
	}{{"api key", false, 0}, {"oauth", true, 2}} {
		t.Run(auth.name, func(t *testing.T) {
			t.Parallel()
			const maxBackoff = 600 * time.Millisecond
			sim, srv := newSim(t)
			c := &poller.Client{HTTP: srv.Client()}
			st := runSimPoller(t, srv, auth.oauth, c, poller.SourceConfig{Interval: 10 * time.Millisecond, MaxBackoff: maxBackoff})
			waitStatus(t, st, "first good poll", firstGood)

			sim.SetFault(simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultUnauthorized, Count: 1})
			failed := comm100Status(waitStatus(t, st, "an auth failure", func(ss snapshot.SourceStatus) bool { return ss.Failing() }))
			if failed.LastError.Kind != snapshot.ErrAuth || failed.NextPoll.Sub(failed.LastAttempt) != maxBackoff {
				t.Fatalf("status = %+v, want auth and the next poll MaxBackoff later", failed)
			}
			ok := comm100Status(waitStatus(t, st, "recovery", func(ss snapshot.SourceStatus) bool {
				return ss.ConsecutiveFailures == 0 && ss.LastSuccess.After(failed.LastAttempt)
			}))
			if gap := ok.LastAttempt.Sub(failed.LastAttempt); gap < maxBackoff {
				t.Errorf("retried %v after a 401, want at least MaxBackoff %v", gap, maxBackoff)
			}
			if got := sim.Requests("/oauth/token"); got != auth.wantTokens {
				t.Errorf("token requests = %d, want %d (one more after the 401 dropped the token)", got, auth.wantTokens)
			}
		})
	}
}
