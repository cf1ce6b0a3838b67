package fleettest

import (
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/redistest"
)

// TestFleetRedisDown: with Redis killed every replica keeps its board, marked stale
// with the reason, and nobody polls; with Redis back (empty) they elect a leader and
// recover without a restart.
func TestFleetRedisDown(t *testing.T) {
	t.Parallel()
	rd := redistest.Start(t)
	v := startVendor(t, 2)
	rs := []*replica{startReplica(t, 0, rd.URL(), v, ""), startReplica(t, 1, rd.URL(), v, "")}
	leader(t, rs)
	for _, r := range rs {
		eventually(t, "a board with figures", func() bool { s, _ := r.readyz(); return s.Ready })
	}
	rd.Kill()
	downAt := time.Now()
	for _, r := range rs {
		eventually(t, "link down on every replica", func() bool {
			s, err := r.readyz()
			return err == nil && s.Replica != nil && s.Replica.LinkDown && !s.Ready
		})
		board := r.page(t, "/boards/floor")
		if !strings.Contains(board, "cluster link down") || !strings.Contains(board, `data-testid="skill-tile`) && !strings.Contains(board, "tile-skill-") {
			t.Errorf("replica %d board with Redis down lacks the reason or its figures:\n%.2000s", r.i, board)
		}
	}
	// Nobody polls without the lease: after the old leader's own deadline, silence.
	quietFrom := downAt.Add(leaseTTL)
	for time.Now().Before(quietFrom.Add(2 * interval)) {
		time.Sleep(50 * time.Millisecond)
	}
	if hs := v.since(quietFrom); len(hs) > 0 {
		t.Errorf("%d vendor requests with Redis down (first from replica %d, %v after the lease ran out)", len(hs), hs[0].replica, hs[0].at.Sub(quietFrom))
	}
	restartAt := time.Now()
	rd.Restart()
	upAt := time.Now()
	leader(t, rs)
	for _, r := range rs {
		eventually(t, "recovery", func() bool {
			s, err := r.readyz()
			return err == nil && s.Ready && !s.Replica.LinkDown
		})
	}
	if len(v.since(restartAt)) == 0 {
		t.Error("nobody polled after Redis came back")
	}
	t.Logf("Redis restarted (%v to answer PING): every replica live again %v after the restart began", upAt.Sub(restartAt).Round(time.Millisecond), time.Since(restartAt).Round(time.Millisecond))
}

// TestFleetSentinelFailover: replicas on a Sentinel set keep getting snapshots after
// the master is killed and a sentinel promotes the replica; the gap is logged.
func TestFleetSentinelFailover(t *testing.T) {
	t.Parallel()
	set := redistest.StartSentinel(t)
	v := startVendor(t, 2)
	rs := []*replica{startReplica(t, 0, set.URL(), v, ""), startReplica(t, 1, set.URL(), v, "")}
	lead := leader(t, rs)
	follower := rs[1-lead.i]
	before, _ := follower.readyz()
	eventually(t, "the follower moving", func() bool { s, _ := follower.readyz(); return s.Version > before.Version })
	last, _ := follower.readyz()
	lastAt := time.Now()
	was, err := set.MasterAddr(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	set.Master.Kill()
	killAt := time.Now()
	// The follower's last change before the failover and its first after.
	var gapStart time.Time
	eventually(t, "snapshots flowing to every replica after the failover", func() bool {
		s, err := follower.readyz()
		if err != nil {
			return false
		}
		if s.Version != last.Version && gapStart.IsZero() && time.Since(killAt) < 200*time.Millisecond {
			last, lastAt = s, time.Now() // still before the failover took hold
			return false
		}
		if gapStart.IsZero() {
			gapStart = lastAt
		}
		return s.Version > last.Version && !s.Replica.LinkDown && s.Ready
	})
	now := set.WaitFailover(t, was, wait)
	t.Logf("Sentinel failover %s → %s: the follower's snapshots stopped for %v (its last one before the gap %v before the kill)",
		was, now, time.Since(gapStart).Round(time.Millisecond), killAt.Sub(gapStart).Round(time.Millisecond))
	leader(t, rs)
}
