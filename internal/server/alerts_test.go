package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/snapshot"
)

var alertT0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// alertSnap is scopedSnap at t0+at with Sales waiting sales and Support waiting support.
func alertSnap(version uint64, at time.Duration, sales, support int64) *snapshot.Snapshot {
	s := scopedSnap(version, support)
	s.TakenAt = alertT0.Add(at)
	s.Skills[0].Queues[0].Waiting = snapshot.Some(sales)
	for i := range s.Sources {
		s.Sources[i].LastSuccess = s.TakenAt
	}
	return s
}

// newAlertEnv is newAuthEnv with alerting on both boards: "waiting" at warn 3 / crit 5
// at once, and "held" (waiting ≥ 10) only after 30s.
func newAlertEnv(t *testing.T) (*authEnv, *alerts.Engine) {
	t.Helper()
	return newAlertEnvHooks(t, nil)
}

// newAlertEnvHooks is newAlertEnv whose engine hands its events to onEvents.
func newAlertEnvHooks(t *testing.T, onEvents func([]alerts.Event)) (*authEnv, *alerts.Engine) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "alerts.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := bolt.NewAlerts(db)
	if err != nil {
		t.Fatal(err)
	}
	rules := []alerts.Rule{
		{ID: "waiting", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 3, Crit: 5}},
		{ID: "held", Figure: alerts.Waiting, Level: alerts.Crit, Limits: alerts.Limits{Warn: 10, Crit: 10}, For: 30 * time.Second},
	}
	var boards []alerts.Board
	for _, id := range []string{"lobby", "demo"} {
		boards = append(boards, alerts.Board{ID: id, Rules: rules, Sound: alerts.SoundAll})
	}
	eng, err := alerts.New(context.Background(), alerts.Options{Boards: boards, Store: st, Now: func() time.Time { return alertT0 }, OnEvents: onEvents})
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) { o.Alerts = eng })
	e.store.Publish(alertSnap(2, 0, 1, 1))
	return e, eng
}

var alertIDs = regexp.MustCompile(`data-alert-id="([^"]+)"`)

// readUntil reads messages until one contains want and returns it; it fails the test
// when the socket ends or ctx expires first.
func readUntil(t *testing.T, ctx context.Context, c *websocket.Conn, want string) string {
	t.Helper()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %q: %v", want, err)
		}
		if strings.Contains(string(msg), want) {
			return string(msg)
		}
	}
}

// TestAlertReachesEveryWallOnceAndAckSilencesAll: the snapshot that breaches carries
// the banner to every wall socket in its own diff, the next snapshot does not send it
// again, and one manager's acknowledgement reaches every wall.
func TestAlertReachesEveryWallOnceAndAckSilencesAll(t *testing.T) {
	e, _ := newAlertEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var walls []*websocket.Conn
	for range 3 {
		c, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		if alertIDs.MatchString(first) {
			t.Fatalf("alert shown before any breach: %.300s", first)
		}
		walls = append(walls, c)
	}

	e.store.Publish(alertSnap(3, 10*time.Second, 6, 1)) // Sales: 6 waiting ≥ crit 5
	for i, c := range walls {
		msg := readUntil(t, ctx, c, `srv-clock`) // the diff of snapshot 3
		got := alertIDs.FindAllStringSubmatch(msg, -1)
		if len(got) != 1 || got[0][1] != "demo/waiting/comm100:a" {
			t.Fatalf("wall %d: diff of the breaching snapshot has alerts %v, want demo/waiting/comm100:a once", i, got)
		}
		if !strings.Contains(msg, "Sales — waiting 6 ◆ CRIT") || !strings.Contains(msg, `data-sound="crit"`) {
			t.Errorf("wall %d: banner lacks text or sound: %.600s", i, msg)
		}
	}

	e.store.Publish(alertSnap(4, 20*time.Second, 6, 2)) // only Support changes
	for i, c := range walls {
		msg := readUntil(t, ctx, c, `srv-clock`)
		if strings.Contains(msg, "tile-alerts") {
			t.Errorf("wall %d: unchanged banner sent again: %.300s", i, msg)
		}
	}

	admin := e.client(t)
	e.login(t, admin, "admin", adminPW)
	page := do(t, admin, "GET", e.ts.URL+"/boards/demo", nil)
	tok := regexp.MustCompile(`id="csrf" data-token="([^"]+)"`).FindStringSubmatch(page.body)
	if tok == nil || !strings.Contains(page.body, `class="alert-ack"`) {
		t.Fatalf("manager board has no ack form or token: %.500s", page.body)
	}
	form := url.Values{"id": {"demo/waiting/comm100:a"}, "note": {"calling CRM"}}
	if r := do(t, admin, "POST", e.ts.URL+"/boards/demo/alerts/ack", form); r.code != http.StatusForbidden {
		t.Errorf("ack without CSRF token: %d, want 403", r.code)
	}
	form.Set("csrf_token", tok[1])
	if r := do(t, admin, "POST", e.ts.URL+"/boards/demo/alerts/ack", form); r.code != http.StatusSeeOther {
		t.Fatalf("ack: %d %.300s, want 303", r.code, r.body)
	}
	for i, c := range walls {
		msg := readUntil(t, ctx, c, `tile-alerts`)
		if !strings.Contains(msg, `data-testid="alert-acked"`) || !strings.Contains(msg, "admin") || strings.Contains(msg, `data-sound="crit"`) {
			t.Errorf("wall %d: after ack the banner is not silenced and signed: %.600s", i, msg)
		}
	}
}

// TestSustainedAlertWaitsForFor: a rule with for: 30s shows nothing on the snapshot
// that starts the breach, and fires on the first one 30s later.
func TestSustainedAlertWaitsForFor(t *testing.T) {
	e, _ := newAlertEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	e.store.Publish(alertSnap(3, 0, 12, 1))
	msg := readUntil(t, ctx, c, `srv-clock`)
	if strings.Contains(msg, "demo/held/") {
		t.Fatalf("sustained rule fired before its for: %.300s", msg)
	}
	e.store.Publish(alertSnap(4, 20*time.Second, 13, 1))
	if msg = readUntil(t, ctx, c, `srv-clock`); strings.Contains(msg, "demo/held/") {
		t.Fatalf("sustained rule fired at 20s of 30s: %.300s", msg)
	}
	e.store.Publish(alertSnap(5, 30*time.Second, 14, 1))
	if msg = readUntil(t, ctx, c, `srv-clock`); !strings.Contains(msg, `data-alert-id="demo/held/comm100:a"`) {
		t.Fatalf("sustained rule did not fire at 30s: %.600s", msg)
	}
}

// TestScopedManagerAlerts: a manager limited to Sales neither sees nor acknowledges
// (nor reads in the API) an alert of Support.
func TestScopedManagerAlerts(t *testing.T) {
	e, eng := newAlertEnv(t)
	e.store.Publish(alertSnap(3, 0, 6, 7)) // both skills breach
	waitFor(t, func() bool { return len(eng.Alerts("lobby", snapshot.Scope{})) == 2 })
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)

	page := do(t, mgr, "GET", e.ts.URL+"/boards/lobby", nil)
	if page.code != http.StatusOK {
		t.Fatalf("manager board: %d", page.code)
	}
	if strings.Contains(page.body, "comm100:b") || strings.Contains(page.body, "Support —") {
		t.Errorf("scoped manager's board shows Support's alert: %.800s", page.body)
	}
	if !strings.Contains(page.body, `data-alert-id="lobby/waiting/comm100:a"`) {
		t.Errorf("scoped manager's board lacks their own Sales alert")
	}
	tok := regexp.MustCompile(`id="csrf" data-token="([^"]+)"`).FindStringSubmatch(page.body)
	if tok == nil {
		t.Fatal("no CSRF token on the manager board")
	}
	r := do(t, mgr, "POST", e.ts.URL+"/boards/lobby/alerts/ack", url.Values{"id": {"lobby/waiting/comm100:b"}, "csrf_token": {tok[1]}})
	if r.code != http.StatusNotFound {
		t.Errorf("scoped manager acking Support: %d, want 404", r.code)
	}
	if as := eng.Alerts("lobby", snapshot.Scope{}); len(as) != 2 || as[0].Ack != nil || as[1].Ack != nil {
		t.Errorf("alerts after the refused ack: %+v", as)
	}

	api := do(t, mgr, "GET", e.ts.URL+"/api/v1/alerts", nil)
	var body alertsBody
	if err := json.Unmarshal([]byte(api.body), &body); err != nil || api.code != http.StatusOK {
		t.Fatalf("GET /api/v1/alerts: %d %v %.300s", api.code, err, api.body)
	}
	for _, a := range body.Alerts {
		if a.Subject != "comm100:a" {
			t.Errorf("API shows the scoped manager alert %s", a.ID)
		}
	}
	for _, ev := range body.Log {
		if ev.Alert.Subject != "comm100:a" {
			t.Errorf("API log shows the scoped manager event of %s", ev.Alert.ID)
		}
	}
	if len(body.Alerts) == 0 || len(body.Log) == 0 {
		t.Errorf("API shows the manager nothing: %+v", body)
	}
	if r := do(t, e.client(t), "GET", e.ts.URL+"/api/v1/alerts", nil); r.code != http.StatusUnauthorized {
		t.Errorf("anonymous GET /api/v1/alerts: %d, want 401", r.code)
	}
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDeadWebhooksDoNotDelayTheWall: with one webhook that never answers and one that
// answers 500 (and is retried), the breaching snapshot's diff and the next one reach
// the wall while both receivers are still stuck.
func TestDeadWebhooksDoNotDelayTheWall(t *testing.T) {
	release := make(chan struct{})
	var hung, failed atomic.Int64
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hung.Add(1)
		<-release
	}))
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failed.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer hang.Close()
	defer fail.Close()
	defer close(release) // before the servers close: let the hung handler return

	hooks := []alerts.Webhook{{Name: "hang", URL: hang.URL}, {Name: "fail", URL: fail.URL}}
	d := alerts.NewDispatcher(map[string][]alerts.Webhook{"demo": hooks}, alerts.WebhookOptions{Timeout: time.Hour, Backoff: time.Millisecond, Attempts: 1000, Queue: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go d.Run(ctx)
	e, _ := newAlertEnvHooks(t, d.Enqueue)

	c, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	e.store.Publish(alertSnap(3, 0, 6, 1)) // raise → both webhooks
	if msg := readUntil(t, ctx, c, "srv-clock"); !strings.Contains(msg, `data-alert-id="demo/waiting/comm100:a"`) {
		t.Fatalf("breaching diff lacks the alert: %.300s", msg)
	}
	waitFor(t, func() bool { return hung.Load() >= 1 && failed.Load() >= 3 })
	for v := uint64(4); v < 8; v++ { // more events (clear, raise) pile onto the stuck queues
		e.store.Publish(alertSnap(v, time.Duration(v)*time.Second, int64(v%2)*6, int64(v)))
		readUntil(t, ctx, c, "srv-clock")
	}
	if hung.Load() != 1 {
		t.Errorf("hung receiver called %d times, want 1 (still stuck in the first)", hung.Load())
	}
	if d.Dropped.Load() == 0 {
		t.Error("no event dropped although the hung webhook's queue (1) overflowed")
	}
}
