package views

import (
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestTimeInStateAtLeast: a time the poller could only bound from below carries
// data-atleast (the page writes it "≥ 12:34"); a known one does not.
func TestTimeInStateAtLeast(t *testing.T) {
	t.Parallel()
	part := snapshot.Part{Source: "comm100", Agents: []snapshot.Agent{
		{Key: "comm100:1", ID: "1", Source: "comm100", Name: "Ava Lower", State: snapshot.Away, Since: fixtureNow.Add(-time.Minute), SinceAtLeast: true},
		{Key: "comm100:2", ID: "2", Source: "comm100", Name: "Ben Exact", State: snapshot.Busy, Since: fixtureNow.Add(-2 * time.Minute)},
	}}
	snap := snapshot.Merge(nil, []snapshot.Part{part}, []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow}}, fixtureNow)
	d := page(t, manager(), snap)
	for name, want := range map[string]bool{"Ava Lower": true, "Ben Exact": false} {
		found := false
		d.Find("#tile-agents tbody tr").Each(func(_ int, s *goquery.Selection) {
			if s.Find(".an").Text() != name {
				return
			}
			found = true
			tis := s.Find(".tis")
			if _, got := tis.Attr("data-atleast"); got != want || tis.AttrOr("data-since", "") == "" {
				t.Errorf("%s: data-atleast %v (data-since %q), want %v", name, got, tis.AttrOr("data-since", ""), want)
			}
		})
		if !found {
			t.Errorf("agent %s not listed", name)
		}
	}
}
