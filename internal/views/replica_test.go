package views

import (
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestFreshnessShowsReplica: on replicas the freshness tile says this replica's role and
// term and carries when its snapshot arrived (the page ticks the age); with the link
// down it says so; a single replica shows no such row. A new snapshot swaps the row
// alone.
func TestFreshnessShowsReplica(t *testing.T) {
	t.Parallel()
	base := fixture(t, 11, 70)
	if n := page(t, wall(), base).Find(`[data-testid="replica"]`).Length(); n != 0 {
		t.Errorf("single replica: %d replica rows, want none", n)
	}
	got := fixtureNow.Add(-2 * time.Second)
	rep := *base
	rep.Replica = &snapshot.Replica{Role: snapshot.RoleFollower, Term: 7, Seq: 3, ReceivedAt: got}
	row := page(t, wall(), &rep).Find(`#tile-freshness [data-testid="replica"]`)
	if text := strings.Join(strings.Fields(row.Text()), " "); text != "follower · term 7 received" {
		t.Errorf("replica row = %q, want %q", text, "follower · term 7 received")
	}
	if ms, _ := row.Attr("data-received"); ms != msString(got) {
		t.Errorf("data-received = %q, want %q", ms, msString(got))
	}
	next := rep
	next.Replica = &snapshot.Replica{Role: snapshot.RoleFollower, Term: 7, Seq: 4, ReceivedAt: fixtureNow}
	if d := Diff(tiles(t, wall(), &rep), tiles(t, wall(), &next)); ids(d) != "fig-tile-freshness-replica" {
		t.Errorf("next snapshot swaps %q, want only the replica row", ids(d))
	}
	down := rep
	down.Replica = &snapshot.Replica{Role: snapshot.RoleFollower, Term: 7, LinkDown: true, ReceivedAt: got}
	if text := page(t, wall(), &down).Find(`[data-testid="replica"]`).Text(); !strings.Contains(text, "cluster link down") {
		t.Errorf("link down row = %q", text)
	}
}
