package fleettest

import (
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
)

// followLag samples every replica's /readyz until the leader has published n new
// versions, and returns, per follower sample that caught up, how long after the
// leader first showed that version the follower showed it.
func followLag(t *testing.T, lead *replica, rs []*replica, n uint64) []time.Duration {
	t.Helper()
	firstSeen := map[uint64]time.Time{} // leader version → when the leader showed it
	caught := map[int]uint64{}
	var lags []time.Duration
	start, _ := lead.readyz()
	deadline := time.Now().Add(wait)
	for {
		now := time.Now()
		ls, err := lead.readyz()
		if err == nil {
			if _, ok := firstSeen[ls.Version]; !ok {
				firstSeen[ls.Version] = now
			}
		}
		for _, r := range rs {
			if r == lead {
				continue
			}
			s, err := r.readyz()
			if err != nil || s.Version <= caught[r.i] {
				continue
			}
			caught[r.i] = s.Version
			if at, ok := firstSeen[s.Version]; ok {
				lags = append(lags, time.Since(at))
			}
		}
		if ls.Version >= start.Version+n {
			return lags
		}
		if time.Now().After(deadline) {
			t.Fatalf("leader made fewer than %d versions in %v", n, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFleetOnePollerFailover is issue 14's first three acceptance points on three
// replica processes and one simulator: only the leader sends vendor requests (so the
// fleet's rate is one replica's), followers follow its versions; SIGSTOP of the leader
// for longer than the lease hands polling to another replica and the stopped one never
// polls again after SIGCONT (no two replicas ever poll at once, its late work is
// dropped); kill -9 of the new leader hands polling on within the lease and a poll.
func TestFleetOnePollerFailover(t *testing.T) {
	t.Parallel()
	rd := redistest.Start(t)
	v := startVendor(t, 3)
	rs := []*replica{startReplica(t, 0, rd.URL(), v, ""), startReplica(t, 1, rd.URL(), v, ""), startReplica(t, 2, rd.URL(), v, "")}
	lead := leader(t, rs)

	// Steady state: one poller, followers within moments of it.
	from := time.Now()
	lags := followLag(t, lead, rs, 4)
	steady := v.since(from)
	if got := runs(steady); !slices.Equal(got, []int{lead.i}) {
		t.Fatalf("vendor requests came from replicas %v in steady state, want only the leader %d", got, lead.i)
	}
	slices.Sort(lags)
	perMin := float64(len(steady)) / time.Since(from).Minutes()
	if len(lags) > 0 {
		t.Logf("steady: %d vendor requests in %v (%.0f/min, all from the leader); follower saw the leader's version after p50 %v, max %v (readyz sampling every 20 ms)",
			len(steady), time.Since(from).Round(time.Millisecond), perMin, lags[len(lags)/2], lags[len(lags)-1])
	}
	for _, l := range lags {
		if l > 10*time.Second {
			t.Errorf("a follower took %v to show the leader's version", l)
		}
	}

	// SIGSTOP the leader past its lease.
	stopped := lead
	stopAt := time.Now()
	stopped.signal(syscall.SIGSTOP)
	var next *replica
	eventually(t, "another replica polling while the leader is stopped", func() bool {
		for _, h := range v.since(stopAt) {
			if h.replica != stopped.i {
				next = rs[h.replica]
				return true
			}
		}
		return false
	})
	took := time.Since(stopAt)
	for time.Since(stopAt) < leaseTTL+time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	contAt := time.Now()
	stopped.signal(syscall.SIGCONT)
	t.Logf("SIGSTOP: replica %d polled %v after the leader froze (lease %v)", next.i, took.Round(time.Millisecond), leaseTTL)
	eventually(t, "the resumed replica following", func() bool { return stopped.role() == "follower" })
	termAfter, _ := next.readyz()
	eventually(t, "the resumed replica on the new term", func() bool {
		s, err := stopped.readyz()
		return err == nil && s.Replica.Term >= termAfter.Replica.Term
	})
	if got := runs(v.since(from)); !slices.Equal(got, []int{stopped.i, next.i}) {
		t.Errorf("pollers over time: %v, want %d then %d and never back (two replicas polled at once)", got, stopped.i, next.i)
	}
	for _, h := range v.since(contAt) {
		if h.replica == stopped.i {
			t.Errorf("the stopped leader sent a vendor request %v after SIGCONT", h.at.Sub(contAt))
		}
	}

	// kill -9 the new leader: a survivor polls within the lease and one interval.
	killAt := time.Now()
	next.signal(syscall.SIGKILL)
	var survivor int
	eventually(t, "a survivor polling after kill -9 of the leader", func() bool {
		for _, h := range v.since(killAt) {
			if h.replica != next.i {
				survivor = h.replica
				return true
			}
		}
		return false
	})
	t.Logf("kill -9: replica %d polled %v after the leader died (lease %v + interval %v)", survivor, time.Since(killAt).Round(time.Millisecond), leaseTTL, interval)
	for _, r := range rs {
		if r == next {
			continue
		}
		if s, err := r.readyz(); err != nil || !s.Ready {
			t.Errorf("surviving replica %d not ready after the failover: %+v %v", r.i, s, err)
		}
	}
}
