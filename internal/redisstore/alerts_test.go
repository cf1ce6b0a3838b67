package redisstore

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

func TestAlerts(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.Alerts(t, func(t *testing.T) alerts.Store { return NewAlerts(f.c, f.prefix()) })
}

// hookCounter is a webhook receiver counting the calls per event kind.
type hookCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hookCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.n[r.Header.Get(alerts.EventHeader)]++
	h.mu.Unlock()
}

func (h *hookCounter) count(kind alerts.EventKind) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[string(kind)]
}

// replicaEngine is one replica's alert engine on the shared store under prefix, with
// its own webhook dispatcher posting to url; leads says whether it holds the lease.
func replicaEngine(t *testing.T, f *fresh, prefix, url string, leads bool) *alerts.Engine {
	t.Helper()
	st := NewAlerts(f.c, prefix)
	b := alerts.Board{ID: "floor", Rules: []alerts.Rule{{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}},
		Defaults: map[alerts.Figure]alerts.Limits{alerts.LongestWait: {Warn: 60, Crit: 120}}}
	d := alerts.NewDispatcher(map[string][]alerts.Webhook{"floor": {{Name: "pager", URL: url}}}, alerts.WebhookOptions{})
	e, err := alerts.New(t.Context(), alerts.Options{Boards: []alerts.Board{b}, Store: st, OnEvents: d.Enqueue,
		Leads: func() bool { return leads }, Shared: st})
	if err != nil {
		t.Fatal(err)
	}
	go d.Run(t.Context())
	go e.Run(t.Context())
	return e
}

func breach(at time.Time, wait time.Duration) *snapshot.Snapshot {
	return &snapshot.Snapshot{TakenAt: at, Skills: []snapshot.Skill{{Key: "c:1", Name: "Sales",
		Queues: []snapshot.Queue{{Channel: snapshot.Chat, LongestWait: snapshot.Some(wait)}}}}}
}

func ackedBy(e *alerts.Engine, by string) bool {
	as := e.Alerts("floor", snapshot.Scope{})
	return len(as) == 1 && as[0].Ack != nil && as[0].Ack.By == by
}

// TestAlertsOneLeader: two replicas' engines on one Redis see the same breach; only
// the lease holder raises it, so the webhook is called once and the log has one
// entry; the follower shows the leader's alert, and an ack posted on the follower
// silences it on both without the leader's later writes undoing it.
func TestAlertsOneLeader(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	hooks := &hookCounter{n: map[string]int{}}
	ts := httptest.NewServer(hooks)
	defer ts.Close()
	p := f.prefix()
	leader := replicaEngine(t, f, p, ts.URL, true)
	follower := replicaEngine(t, f, p, ts.URL, false)

	t0 := time.Now().UTC()
	for _, e := range []*alerts.Engine{leader, follower} {
		e.Evaluate(breach(t0, 130*time.Second))
	}
	waitFor(t, "the follower to show the leader's alert", func() bool { return len(follower.Alerts("floor", snapshot.Scope{})) == 1 })
	waitFor(t, "the raise webhook", func() bool { return hooks.count(alerts.EventRaise) == 1 })

	id := follower.Alerts("floor", snapshot.Scope{})[0].ID
	if _, err := follower.Ack(id, "maria", "on it", snapshot.Scope{}); err != nil {
		t.Fatalf("Ack on the follower: %v", err)
	}
	waitFor(t, "the leader to apply the follower's ack", func() bool { return ackedBy(leader, "maria") })
	// The leader keeps evaluating (and writing) the breach; the ack must survive it.
	leader.Evaluate(breach(t0.Add(10*time.Second), 140*time.Second))
	st := NewAlerts(f.c, p)
	waitFor(t, "the ack in Redis", func() bool {
		as, err := st.Active(t.Context())
		return err == nil && len(as) == 1 && as[0].Ack != nil && as[0].Ack.By == "maria" && as[0].Value == 140
	})
	waitFor(t, "the follower to show the ack from Redis", func() bool {
		as := follower.Alerts("floor", snapshot.Scope{})
		return ackedBy(follower, "maria") && as[0].Value == 140
	})
	waitFor(t, "the ack webhook", func() bool { return hooks.count(alerts.EventAck) == 1 })
	if n := hooks.count(alerts.EventRaise); n != 1 {
		t.Errorf("raise webhook called %d times, want 1", n)
	}
	evs, err := st.Events(t.Context(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []alerts.EventKind
	for _, ev := range evs {
		got = append(got, ev.Kind)
	}
	if len(got) != 2 || got[0] != alerts.EventRaise || got[1] != alerts.EventAck {
		t.Errorf("log = %v, want one raise and one ack", got)
	}
}
