package alerts_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/snapshot"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// floor is a snapshot at t0+at with one skill "Sales" whose longest wait is wait.
func floor(at, wait time.Duration) *snapshot.Snapshot {
	return &snapshot.Snapshot{TakenAt: t0.Add(at), Skills: []snapshot.Skill{{
		Key: "c:1", Name: "Sales",
		Queues: []snapshot.Queue{{Channel: snapshot.Chat, LongestWait: snapshot.Some(wait), Waiting: snapshot.Some[int64](2)}},
	}, {
		Key: "c:2", Name: "Support",
		Queues: []snapshot.Queue{{Channel: snapshot.Chat, LongestWait: snapshot.Some(10 * time.Second)}},
	}}}
}

func board(r alerts.Rule, escalate, clear time.Duration) alerts.Board {
	return alerts.Board{ID: "floor", EscalateAfter: escalate, ClearAfter: clear, Rules: []alerts.Rule{r},
		Defaults: map[alerts.Figure]alerts.Limits{alerts.LongestWait: {Warn: 60, Crit: 120}}}
}

func openStore(t *testing.T, path string) alerts.Store {
	t.Helper()
	st, end := life(t, path)
	t.Cleanup(end)
	return st
}

func newEngine(t *testing.T, b alerts.Board, st alerts.Store) *alerts.Engine {
	t.Helper()
	e, err := alerts.New(context.Background(), alerts.Options{Boards: []alerts.Board{b}, Store: st, Now: func() time.Time { return t0.Add(35 * time.Second) }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func kinds(evs []alerts.Event) string {
	s := ""
	for _, e := range evs {
		if s != "" {
			s += " "
		}
		s += string(e.Kind) + ":" + e.Alert.Name
	}
	return s
}

func TestStateMachine(t *testing.T) {
	rule := alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}
	type step struct {
		at, wait time.Duration
		want     string // events, "" for none
		shown    int    // visible alerts after the step
	}
	cases := []struct {
		name           string
		for_, esc, clr time.Duration
		steps          []step
	}{
		{"raise on the breaching snapshot, clear when back", 0, 0, 0, []step{
			{0, 30 * time.Second, "", 0},
			{10 * time.Second, 61 * time.Second, "raise:Sales", 1},
			{20 * time.Second, 130 * time.Second, "", 1}, // warn → crit is the same alert
			{30 * time.Second, 5 * time.Second, "clear:Sales", 0},
		}},
		{"sustain: raised only after for", 30 * time.Second, 0, 0, []step{
			{0, 70 * time.Second, "", 0},
			{20 * time.Second, 80 * time.Second, "", 0},
			{30 * time.Second, 90 * time.Second, "raise:Sales", 1},
		}},
		{"sustain broken: back before for never shows", 30 * time.Second, 0, 0, []step{
			{0, 70 * time.Second, "", 0},
			{10 * time.Second, 5 * time.Second, "", 0},
			{35 * time.Second, 70 * time.Second, "", 0},
			{64 * time.Second, 70 * time.Second, "", 0},
			{65 * time.Second, 70 * time.Second, "raise:Sales", 1},
		}},
		{"escalate after escalate_after", 0, 2 * time.Minute, 0, []step{
			{0, 70 * time.Second, "raise:Sales", 1},
			{119 * time.Second, 70 * time.Second, "", 1},
			{120 * time.Second, 70 * time.Second, "escalate:Sales", 1},
			{130 * time.Second, 70 * time.Second, "", 1},
		}},
		{"clear only once back for clear_after", 0, 0, time.Minute, []step{
			{0, 70 * time.Second, "raise:Sales", 1},
			{10 * time.Second, 5 * time.Second, "", 1},
			{40 * time.Second, 70 * time.Second, "", 1}, // breached again: clock restarts
			{50 * time.Second, 5 * time.Second, "", 1},
			{100 * time.Second, 5 * time.Second, "", 1},
			{110 * time.Second, 5 * time.Second, "clear:Sales", 0},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rule
			r.For = c.for_
			e := newEngine(t, board(r, c.esc, c.clr), openStore(t, filepath.Join(t.TempDir(), "db")))
			for i, s := range c.steps {
				got := kinds(e.Evaluate(floor(s.at, s.wait)))
				if got != s.want {
					t.Errorf("step %d (t+%s, wait %s): events %q, want %q", i, s.at, s.wait, got, s.want)
				}
				if n := len(e.Alerts("floor", snapshot.Scope{})); n != s.shown {
					t.Errorf("step %d: %d alerts shown, want %d", i, n, s.shown)
				}
			}
		})
	}
}

func TestUnknownFigureChangesNothing(t *testing.T) {
	e := newEngine(t, board(alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}, 0, 0), openStore(t, filepath.Join(t.TempDir(), "db")))
	e.Evaluate(floor(0, 200*time.Second))
	blind := floor(10*time.Second, 0)
	blind.Skills[0].Queues[0].LongestWait = snapshot.None[time.Duration]()
	if evs := e.Evaluate(blind); len(evs) != 0 {
		t.Errorf("unknown longest wait gave events %s; want none (no data is not a recovery)", kinds(evs))
	}
	if as := e.Alerts("floor", snapshot.Scope{}); len(as) != 1 || as[0].Value != 200 {
		t.Errorf("alerts after unknown reading = %+v, want the one at 200s", as)
	}
}

func TestAck(t *testing.T) {
	e := newEngine(t, board(alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}, time.Minute, 0), openStore(t, filepath.Join(t.TempDir(), "db")))
	e.Evaluate(floor(0, 200*time.Second))
	as := e.Alerts("floor", snapshot.Scope{})
	if len(as) != 1 {
		t.Fatalf("%d alerts, want 1", len(as))
	}
	id := as[0].ID
	if _, err := e.Ack(id, "bob", "", snapshot.Scope{Skills: []string{"c:2"}}); err != alerts.ErrNotFound {
		t.Errorf("ack outside scope: err %v, want ErrNotFound", err)
	}
	v := e.Version()
	a, err := e.Ack(id, "maria", " calling the CRM team ", snapshot.Scope{Skills: []string{"c:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Ack == nil || a.Ack.By != "maria" || a.Ack.Note != "calling the CRM team" || !a.Ack.At.Equal(t0.Add(35*time.Second)) {
		t.Errorf("ack = %+v, want by maria at t0+35s with the trimmed note", a.Ack)
	}
	if e.Version() == v {
		t.Error("ack did not change the version: screens would not hear of it")
	}
	again, _ := e.Ack(id, "bob", "", snapshot.Scope{})
	if again.Ack.By != "maria" {
		t.Errorf("second ack replaced the first: by %s", again.Ack.By)
	}
	if evs := e.Evaluate(floor(2*time.Minute, 200*time.Second)); len(evs) != 0 {
		t.Errorf("acknowledged alert: events %s, want none (no escalation)", kinds(evs))
	}
	long := string(make([]rune, alerts.MaxNote+1))
	if _, err := e.Ack(id, "x", long, snapshot.Scope{}); err != alerts.ErrBadNote {
		t.Errorf("281-character note: err %v, want ErrBadNote", err)
	}
	log, err := e.Log(context.Background(), "floor", snapshot.Scope{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(log); got != "ack:Sales raise:Sales" {
		t.Errorf("log = %q, want newest first: ack, raise", got)
	}
	if log[0].Alert.Ack.Note != "calling the CRM team" {
		t.Errorf("log lost the note: %+v", log[0].Alert.Ack)
	}
	if scoped, _ := e.Log(context.Background(), "floor", snapshot.Scope{Skills: []string{"c:2"}}, 0); len(scoped) != 0 {
		t.Errorf("scoped log shows %d events of a skill outside the scope", len(scoped))
	}
}

// life opens the store at path for one "process lifetime"; the returned func ends it.
func life(t *testing.T, path string) (alerts.Store, func()) {
	t.Helper()
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.NewAlerts(db)
	if err != nil {
		t.Fatal(err)
	}
	return st, func() { db.Close() }
}

func TestRestartInTheMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	b := board(alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset(), For: 30 * time.Second}, 2*time.Minute, time.Minute)
	ctx := context.Background()

	// First life: breach starts, not yet sustained.
	st, end := life(t, path)
	e := newEngine(t, b, st)
	e.Evaluate(floor(0, 70*time.Second))
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	end()

	// Second life: the sustain clock kept running across the restart.
	st, end = life(t, path)
	e = newEngine(t, b, st)
	if got := kinds(e.Evaluate(floor(30*time.Second, 75*time.Second))); got != "raise:Sales" {
		t.Fatalf("after restart at t+30s: %q, want raise (sustained since t+0)", got)
	}
	id := e.Alerts("floor", snapshot.Scope{})[0].ID
	if _, err := e.Ack(id, "maria", "", snapshot.Scope{}); err != nil {
		t.Fatal(err)
	}
	e.Evaluate(floor(40*time.Second, 5*time.Second)) // back: clear_after clock starts
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	end()

	// Third life: the ack and the clear clock survived.
	st, end = life(t, path)
	defer end()
	e = newEngine(t, b, st)
	as := e.Alerts("floor", snapshot.Scope{})
	if len(as) != 1 || as[0].Ack == nil || as[0].Ack.By != "maria" {
		t.Fatalf("after restart: %+v, want the acknowledged alert", as)
	}
	if got := kinds(e.Evaluate(floor(100*time.Second, 5*time.Second))); got != "clear:Sales" {
		t.Errorf("at t+100s (back since t+40s, clear_after 1m): %q, want clear", got)
	}
	log, _ := e.Log(ctx, "", snapshot.Scope{}, 0)
	if got := kinds(log); got != "clear:Sales ack:Sales raise:Sales" {
		t.Errorf("log across restarts = %q", got)
	}
}

func TestRuleGoneForgetsItsAlerts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	st, end := life(t, path)
	e := newEngine(t, board(alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}, 0, 0), st)
	e.Evaluate(floor(0, 200*time.Second))
	if err := e.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	end()
	st, end = life(t, path)
	defer end()
	e = newEngine(t, board(alerts.Rule{ID: "other", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 50, Crit: 60}}, 0, 0), st)
	if as := e.Alerts("floor", snapshot.Scope{}); len(as) != 0 {
		t.Errorf("alerts of a removed rule still shown: %+v", as)
	}
}

func TestParseValue(t *testing.T) {
	cases := []struct {
		f    alerts.Figure
		in   string
		want float64
		ok   bool
	}{
		{alerts.LongestWait, "2m", 120, true},
		{alerts.LongestWait, "90", 90, true},
		{alerts.LongestWait, "-1s", 0, false},
		{alerts.ServiceLevel, "80%", 0.8, true},
		{alerts.ServiceLevel, "0.75", 0.75, true},
		{alerts.ServiceLevel, "1.5", 0, false},
		{alerts.Waiting, "5", 5, true},
		{alerts.Waiting, "2.5", 0, false},
		{alerts.AbandonRate, "NaN", 0, false},
	}
	for _, c := range cases {
		got, err := alerts.ParseValue(c.f, c.in)
		if (err == nil) != c.ok || c.ok && math.Abs(got-c.want) > 1e-9 {
			t.Errorf("ParseValue(%s, %q) = %v, %v; want %v ok=%v", c.f, c.in, got, err, c.want, c.ok)
		}
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"2m", "90", "80%", "0.5", "5", "-1", "1e400", "NaN%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fig := range alerts.Figures {
			v, err := alerts.ParseValue(fig, s)
			if err == nil && (v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("ParseValue(%s, %q) = %v without error", fig, s, v)
			}
		}
	})
}
