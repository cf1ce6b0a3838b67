package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
)

// Alerts runs the alerts.Store contract against stores made by open (a fresh, empty
// store per call).
func Alerts(t *testing.T, open func(t *testing.T) alerts.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	sample := func(id string) alerts.Alert {
		return alerts.Alert{ID: id, Board: "floor", Rule: "wait", Figure: alerts.LongestWait, Subject: "comm100:1",
			Name: "Sales", Skills: []string{"comm100:1"}, Status: alerts.Raised, Level: alerts.Crit, Value: 192,
			Threshold: 120, Target: 20 * time.Second, BreachSince: t0, RaisedAt: t0.Add(30 * time.Second),
			Ack: &alerts.Ack{By: "maria", At: t0.Add(time.Minute), Note: "on it"}}
	}

	t.Run("save and load keep every field", func(t *testing.T) {
		s := open(t)
		want := sample("floor/wait/comm100:1")
		if err := s.Save(ctx, []alerts.Alert{want, sample("floor/wait/comm100:2")}, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Active(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(got, func(a alerts.Alert) bool { return a.ID == want.ID })
		if len(got) != 2 || i < 0 {
			t.Fatalf("Active = %d alerts %v, want 2 including %s", len(got), ids(got), want.ID)
		}
		g := got[i]
		if g.Ack == nil || *g.Ack != *want.Ack || !g.RaisedAt.Equal(want.RaisedAt) || !g.BreachSince.Equal(want.BreachSince) ||
			g.Value != want.Value || g.Target != want.Target || g.Status != want.Status || !slices.Equal(g.Skills, want.Skills) {
			t.Errorf("Active = %+v, want %+v", g, want)
		}
	})

	t.Run("save replaces and deletes", func(t *testing.T) {
		s := open(t)
		a, b := sample("a"), sample("b")
		if err := s.Save(ctx, []alerts.Alert{a, b}, nil); err != nil {
			t.Fatal(err)
		}
		a.Status, a.Ack = alerts.Escalated, nil
		if err := s.Save(ctx, []alerts.Alert{a}, []string{"b", "never-there"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Active(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != "a" || got[0].Status != alerts.Escalated || got[0].Ack != nil {
			t.Errorf("Active = %+v, want only a, escalated, without ack", got)
		}
	})

	t.Run("log in time order, since, limit and prune", func(t *testing.T) {
		s := open(t)
		var evs []alerts.Event
		for i, k := range []alerts.EventKind{alerts.EventRaise, alerts.EventEscalate, alerts.EventAck, alerts.EventClear} {
			evs = append(evs, alerts.Event{Kind: k, At: t0.Add(time.Duration(i) * time.Hour), Alert: sample("x")})
		}
		// Appended out of order, and two at the same instant: order is by time, then arrival.
		same := alerts.Event{Kind: alerts.EventAck, At: evs[1].At, Alert: sample("y")}
		if err := s.Append(ctx, []alerts.Event{evs[2], evs[0]}); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, []alerts.Event{evs[1], same, evs[3]}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Events(ctx, t0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := "raise escalate ack ack clear"; kinds(got) != want {
			t.Errorf("Events = %s, want %s", kinds(got), want)
		}
		if got[2].Alert.ID != "y" {
			t.Errorf("same-instant events out of arrival order: %v", got)
		}
		got, _ = s.Events(ctx, evs[2].At, 0)
		if want := "ack clear"; kinds(got) != want {
			t.Errorf("Events(since 3rd) = %s, want %s", kinds(got), want)
		}
		got, _ = s.Events(ctx, t0, 2)
		if want := "ack clear"; kinds(got) != want {
			t.Errorf("Events(limit 2) = %s, want the newest two %s", kinds(got), want)
		}
		n, err := s.Prune(ctx, evs[2].At)
		if err != nil || n != 3 {
			t.Errorf("Prune = %d, %v; want 3 removed", n, err)
		}
		got, _ = s.Events(ctx, time.Time{}, 0)
		if want := "ack clear"; kinds(got) != want {
			t.Errorf("after Prune: %s, want %s", kinds(got), want)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		s := open(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Save(cctx, []alerts.Alert{sample("z")}, nil); err == nil {
			t.Error("Save with a cancelled context succeeded")
		}
	})
}

func ids(as []alerts.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func kinds(evs []alerts.Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Kind))
	}
	return strings.Join(out, " ")
}
