package alerts_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestSetBoardsKeepsUnchangedRules: replacing the rules keeps an unchanged rule's
// alert as it was (acknowledged, no second raise) and forgets a changed rule's; a
// rule that no longer validates changes nothing.
func TestSetBoardsKeepsUnchangedRules(t *testing.T) {
	wait := alerts.Rule{ID: "wait", Figure: alerts.LongestWait, Limits: alerts.Unset()}
	queue := alerts.Rule{ID: "queue", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 1, Crit: 2}}
	b := board(wait, 0, 0)
	b.Rules = append(b.Rules, queue)
	e := newEngine(t, b, openStore(t, filepath.Join(t.TempDir(), "db")))
	if got := kinds(e.Evaluate(floor(0, 200*time.Second))); got != "raise:Sales raise:Sales" {
		t.Fatalf("first evaluation: %q, want both rules raised", got)
	}
	var waitID string
	for _, a := range e.Alerts("floor", snapshot.Scope{}) {
		if a.Rule == "wait" {
			waitID = a.ID
		}
	}
	if _, err := e.Ack(waitID, "maria", "", snapshot.Scope{}); err != nil {
		t.Fatal(err)
	}

	bad := b
	bad.Rules = []alerts.Rule{{ID: "wait", Figure: "nonsense"}}
	if err := e.SetBoards([]alerts.Board{bad}); err == nil {
		t.Fatal("an unknown figure was accepted")
	}
	changed := b
	changed.Rules = []alerts.Rule{wait, {ID: "queue", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 1, Crit: 5}}}
	v := e.Version()
	if err := e.SetBoards([]alerts.Board{changed}); err != nil {
		t.Fatal(err)
	}
	if e.Version() == v {
		t.Error("SetBoards did not change the version: banners would not re-render")
	}
	as := e.Alerts("floor", snapshot.Scope{})
	if len(as) != 1 || as[0].ID != waitID || as[0].Ack == nil || as[0].Ack.By != "maria" {
		t.Fatalf("after SetBoards: %+v, want only the unchanged rule's alert, still acknowledged", as)
	}
	// The changed rule raises anew (2 waiting ≥ its warn of 1); the kept one does not.
	if got := kinds(e.Evaluate(floor(10*time.Second, 200*time.Second))); got != "raise:Sales" {
		t.Errorf("after SetBoards: %q, want one raise (the changed rule's)", got)
	}
	if err := e.SetBoards(nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Board("floor"); ok || len(e.Alerts("floor", snapshot.Scope{})) != 0 {
		t.Error("a board left out of SetBoards still has alerting")
	}
}
