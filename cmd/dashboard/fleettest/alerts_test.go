package fleettest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/redistest"
)

// TestFleetOneWebhookPerBreach: three replica processes with one alert rule that
// every snapshot breaches (fewer than 1000 agents available) for 30 s before it
// raises, and one webhook: only the lease holder evaluates, so each raise is logged
// and reaches the receiver once, not once per replica.
func TestFleetOneWebhookPerBreach(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		raises int
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Ccdash-Event") == "raise" {
			mu.Lock()
			raises++
			mu.Unlock()
		}
	}))
	defer hook.Close()
	rd := redistest.Start(t)
	v := startVendor(t, 3)
	board := fmt.Sprintf(`, alerts: {rules: [{id: staffing, figure: agents_available, skills: [all], level: warn, warn: "1000", crit: "999", for: 30s}], webhooks: [{url: %q}]}`, hook.URL+"/hook")
	var rs []*replica
	for i := range 3 {
		rs = append(rs, startReplicaBoard(t, i, rd.URL(), v, board, ""))
	}
	lead := leader(t, rs)
	// The breach must be raised after every replica is up (each loads the pending
	// alerts at start, and would raise them itself if it evaluated on its own).
	count := func() int { mu.Lock(); defer mu.Unlock(); return raises }
	if count() > 0 {
		t.Fatalf("raised before every replica was up (startup slower than the rule's for: 30s)")
	}
	eventually(t, "a raise webhook", func() bool { return count() > 0 })
	// Let every replica take two more snapshots: a replica evaluating on its own would
	// have raised (and called the webhook) by then.
	for _, r := range rs {
		s0, _ := r.readyz()
		eventually(t, fmt.Sprintf("two more snapshots on replica %d", r.i), func() bool {
			s, err := r.readyz()
			return err == nil && s.Version >= s0.Version+2
		})
	}
	rc := redis.NewClient(&redis.Options{Addr: rd.Addr()})
	defer rc.Close()
	st := redisstore.NewAlerts(rc, redisstore.Prefix(cluster.DefaultName))
	shown, err := st.Active(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.Events(t.Context(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	logged := 0
	for _, ev := range evs {
		if ev.Kind == alerts.EventRaise {
			logged++
		}
	}
	t.Logf("leader replica %d: %d alerts, %d raises logged, %d raise webhook calls", lead.i, len(shown), logged, count())
	if len(shown) == 0 || logged != len(shown) || count() != len(shown) {
		t.Errorf("%d alerts in Redis, %d raises logged, %d raise webhook calls; want one raise logged and sent per alert", len(shown), logged, count())
	}
}
