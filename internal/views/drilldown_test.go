package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestDrillDownShowsSkillOnce: the drill-down names its skill in the heading only (no
// skill tile repeating it, no queue tile titled with it) and shows the Today figures
// of the skill's own source, not every account's.
func TestDrillDownShowsSkillOnce(t *testing.T) {
	t.Parallel()
	snap := fixture(t, 11, 70)
	snap.Accounts = append(snap.Accounts, snapshot.Account{Source: "lp-main", Today: snapshot.Today{Chats: snapshot.Some(int64(77))}})
	for _, src := range []string{"comm100", "lp-main"} {
		t.Run(src, func(t *testing.T) {
			var sk snapshot.Skill
			for _, s := range snap.Skills {
				if s.Source == src {
					sk = s
					break
				}
			}
			v := manager()
			v.Skill = sk.Key
			d := page(t, v, snap)
			if got := strings.Count(d.Find("body").Text(), sk.Name); got != 1 {
				t.Errorf("skill name %q appears %d times on its drill-down, want once (the heading)", sk.Name, got)
			}
			if got := d.Find(".mbar h1").Text(); !strings.Contains(got, sk.Name) {
				t.Errorf("heading %q does not name the skill %q", got, sk.Name)
			}
			if got := d.Find(".t-skill").Length(); got != 0 {
				t.Errorf("skill tiles on the drill-down: got %d, want 0 (the queue tile has its figures)", got)
			}
			if got := d.Find("#tile-queue .fig").Length(); got == 0 {
				t.Error("queue tile has no figures on the drill-down")
			}
			var ids []string
			d.Find(`#tile-today [data-testid="today-day"]`).Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("id", "")) })
			want := "tile-today-" + escapeID(src) + "-day"
			if len(ids) != 1 || ids[0] != want {
				t.Errorf("today groups on the %s drill-down: %v, want only %s", src, ids, want)
			}
		})
	}
	t.Run("board shows every account", func(t *testing.T) {
		if got := page(t, manager(), snap).Find(`#tile-today [data-testid="today-day"]`).Length(); got != 2 {
			t.Errorf("today groups on the board: got %d, want 2", got)
		}
	})
}
