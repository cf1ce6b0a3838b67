package views

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestSkillThresholdsColourTheirSkill: a skill with skill_thresholds is coloured by
// them, the others by the board's; the wall's worst-first order follows.
func TestSkillThresholdsColourTheirSkill(t *testing.T) {
	t.Parallel()
	snap := skillsSnap(map[string]snapshot.Queue{"Billing": waiting(4), "Sales": waiting(4), "VIP": waiting(1)})
	v := wall()
	v.Board.SkillThresholds = []SkillThresholds{
		{Skill: "sales", Thresholds: Thresholds{WaitingWarn: 10, WaitingCrit: 20}},     // by name, any case
		{Skill: "comm100:vip", Thresholds: Thresholds{WaitingWarn: 1, WaitingCrit: 1}}, // by key
		{Skill: "Nobody", Thresholds: Thresholds{LongestWaitCrit: time.Hour}},          // no such skill: harmless
	}
	got := map[string]string{}
	page(t, v, snap).Find(".t-skill").Each(func(_ int, s *goquery.Selection) {
		lvl := "ok"
		switch {
		case s.Find(".lvl-crit").Length() > 0:
			lvl = "crit"
		case s.Find(".lvl-warn").Length() > 0:
			lvl = "warn"
		}
		got[strings.TrimSpace(s.Find("h3").Text())] = lvl
	})
	if want := map[string]string{"Billing": "warn", "Sales": "ok", "VIP": "crit"}; !mapsEqual(got, want) {
		t.Errorf("tile levels = %v, want %v (Sales and VIP by their own thresholds, Billing by the board's)", got, want)
	}

	d, err := newData(v, snap)
	if err != nil {
		t.Fatal(err)
	}
	var entries []skillEntry
	for _, sk := range d.skills {
		p := d.skillTile(sk)
		entries = append(entries, skillEntry{key: sk.Key, props: p, level: tileLevel(p)})
	}
	d.sortSkillTiles(entries)
	var order []string
	for _, i := range bySeverity(entries) {
		order = append(order, entries[i].props.Name)
	}
	if want := []string{"VIP", "Billing", "Sales"}; !slices.Equal(order, want) {
		t.Errorf("worst-first order %v, want %v", order, want)
	}
}

// TestSkillThresholdsValidate: each skill's thresholds are checked as they apply
// over the board's, named skill_thresholds.<skill>.<key>.
func TestSkillThresholdsValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		board Thresholds
		st    SkillThresholds
		key   string
	}{
		{st: SkillThresholds{Skill: "Sales", Thresholds: Thresholds{WaitingWarn: 9}}, key: "skill_thresholds.Sales.waiting_warn"}, // above the default crit 6
		{board: Thresholds{WaitingCrit: 20}, st: SkillThresholds{Skill: "Sales", Thresholds: Thresholds{WaitingCrit: 2}}, key: "skill_thresholds.Sales.waiting_warn"},
		{st: SkillThresholds{Skill: "Sales", Thresholds: Thresholds{ServiceLevelWarn: 1.5}}, key: "skill_thresholds.Sales.service_level_warn"},
		{st: SkillThresholds{Skill: "Sales", Thresholds: Thresholds{AvgWaitCrit: -time.Second}}, key: "skill_thresholds.Sales.avg_wait_crit"},
		{st: SkillThresholds{Skill: "Sales", Thresholds: Thresholds{StaleAfter: time.Minute}}, key: "skill_thresholds.Sales.stale_after"},
		{st: SkillThresholds{Skill: " ", Thresholds: Thresholds{WaitingWarn: 1}}, key: "skill_thresholds"},
	} {
		b := Board{ID: "x", Title: "X", Thresholds: tc.board, SkillThresholds: []SkillThresholds{tc.st}}
		err := b.Validate()
		if !slices.ContainsFunc(field.All(err), func(e *field.Error) bool { return e.Path == tc.key }) {
			t.Errorf("%+v: error %v, want one at %s", tc.st, err, tc.key)
		}
	}
	ok := Board{ID: "x", Title: "X", Thresholds: Thresholds{WaitingCrit: 20}, SkillThresholds: []SkillThresholds{{Skill: "Sales", Thresholds: Thresholds{WaitingWarn: 12}}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("warn 12 under the board's crit 20: %v", err)
	}
}
