package views

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestBoardValidate(t *testing.T) {
	t.Parallel()
	ok := DefaultBoard()
	tests := []struct {
		name    string
		edit    func(*Board)
		wantErr string // the YAML path the error names; "" = valid
	}{
		{"default", func(*Board) {}, ""},
		{"bad id", func(b *Board) { b.ID = "Sales" }, "id"},
		{"empty title", func(b *Board) { b.Title = " " }, "title"},
		{"unknown tile", func(b *Board) { b.Tiles = []TileKind{"queue", "weather"} }, "tiles[1]"},
		{"duplicate tile", func(b *Board) { b.Tiles = []TileKind{"queue", "queue"} }, "tiles[1]"},
		{"empty skill", func(b *Board) { b.Skills = []string{"Sales", ""} }, "skills[1]"},
		{"waiting inverted", func(b *Board) { b.Thresholds.WaitingWarn, b.Thresholds.WaitingCrit = 9, 4 }, "thresholds.waiting_warn"},
		{"warn above default crit", func(b *Board) { b.Thresholds.LongestWaitWarn = 5 * time.Minute }, "thresholds.longest_wait_warn"},
		{"sl out of range", func(b *Board) { b.Thresholds.ServiceLevelWarn = 80 }, "thresholds.service_level_warn"},
		{"sl inverted", func(b *Board) { b.Thresholds.ServiceLevelWarn, b.Thresholds.ServiceLevelCrit = 0.5, 0.7 }, "thresholds.service_level_crit"},
		{"negative stale", func(b *Board) { b.Thresholds.StaleAfter = -time.Second }, "thresholds.stale_after"},
		{"custom ok", func(b *Board) { b.Tiles = []TileKind{"skills", "agents"}; b.Thresholds.WaitingWarn = 1 }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := ok
			tc.edit(&b)
			err := b.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tc.wantErr != "" && !slices.ContainsFunc(field.All(err), func(e *field.Error) bool { return e.Path == tc.wantErr }):
				t.Errorf("got %v, want a field error at %s", err, tc.wantErr)
			}
		})
	}
}

func TestParseVariantQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q                   string
		wantSkill, wantSort string
		wantErr             bool
	}{
		{"", "", "", false},
		{"sort=name", "", "name", false},
		{"sort=load&skill=comm100%3A7", "comm100:7", "load", false},
		{"sort=bogus", "", "", true},
		{"sort=name&sort=time", "", "", true},
		{"skill=", "", "", true},
		{"skill=a%0Ab", "", "", true},
		{"embed=xyz", "", "", false}, // other parameters belong to the server
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			t.Parallel()
			q, _ := url.ParseQuery(tc.q)
			skill, sort, err := ParseVariantQuery(q)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err: got %v, want error %v", err, tc.wantErr)
			}
			if skill != tc.wantSkill || sort != tc.wantSort {
				t.Errorf("got (%q, %q), want (%q, %q)", skill, sort, tc.wantSkill, tc.wantSort)
			}
		})
	}
}

func TestVariantKey(t *testing.T) {
	t.Parallel()
	b := DefaultBoard()
	k := func(v Variant) string { return v.Key() }
	a := Variant{Board: b, Audience: Manager, Scope: snapshot.Scope{Skills: []string{"x:1", "y:2"}}}
	c := Variant{Board: b, Audience: Manager, Scope: snapshot.Scope{Skills: []string{"y:2", "x:1"}}, Sort: SortState}
	if k(a) != k(c) {
		t.Errorf("equal variants: %q != %q", k(a), k(c))
	}
	if k(Variant{Board: b, Audience: Wall, Sort: SortName}) != k(Variant{Board: b, Audience: Wall}) {
		t.Error("the wall has no sort: keys must not differ by it")
	}
	distinct := []Variant{
		{Board: b, Audience: Wall},
		{Board: b, Audience: Manager},
		{Board: b, Audience: Manager, Sort: SortLoad},
		{Board: b, Audience: Manager, Skill: "x:1"},
		{Board: b, Audience: Manager, Skill: "x:1|manager"},
		{Board: b, Audience: Manager, Scope: snapshot.Scope{Skills: []string{"x:1"}}},
	}
	seen := map[string]int{}
	for i, v := range distinct {
		if j, dup := seen[k(v)]; dup {
			t.Errorf("variants %d and %d share key %q", j, i, k(v))
		}
		seen[k(v)] = i
	}
}

func TestAggregate(t *testing.T) {
	t.Parallel()
	s := snapshot.Some[int64]
	d := snapshot.Some[time.Duration]
	tests := []struct {
		name string
		qs   []snapshot.Queue
		want func(snapshot.Queue) string
		exp  string
	}{
		{"sum waiting, unknown skipped", []snapshot.Queue{{Waiting: s(2)}, {}, {Waiting: s(3)}},
			func(q snapshot.Queue) string { return fmtCount(q.Waiting) }, "5"},
		{"all unknown stays unknown", []snapshot.Queue{{}, {}},
			func(q snapshot.Queue) string {
				return fmtCount(q.Waiting) + fmtDur(q.AvgWait30m) + fmtPct(q.ServiceLevel)
			}, "———"},
		{"longest is max", []snapshot.Queue{{LongestWait: d(30 * time.Second)}, {LongestWait: d(95 * time.Second)}},
			func(q snapshot.Queue) string { return fmtDur(q.LongestWait) }, "1:35"},
		{"avg weighted by handled", []snapshot.Queue{
			{AvgWait30m: d(10 * time.Second), Handled: s(90)}, {AvgWait30m: d(110 * time.Second), Handled: s(10)}},
			func(q snapshot.Queue) string { return fmtDur(q.AvgWait30m) }, "0:20"},
		{"simple mean when handled unknown", []snapshot.Queue{
			{AvgWait30m: d(10 * time.Second), Handled: s(90)}, {AvgWait30m: d(110 * time.Second)}},
			func(q snapshot.Queue) string { return fmtDur(q.AvgWait30m) }, "1:00"},
		{"service level weighted", []snapshot.Queue{
			{ServiceLevel: snapshot.Some(1.0), Handled: s(30)}, {ServiceLevel: snapshot.Some(0.5), Handled: s(10)}},
			func(q snapshot.Queue) string { return fmtPct(q.ServiceLevel) }, "88%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.want(aggregate(tc.qs, 30*time.Second)); got != tc.exp {
				t.Errorf("got %q, want %q", got, tc.exp)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{fmtDur(snapshot.Some(65 * time.Second)), "1:05"},
		{fmtDur(snapshot.Some(3725 * time.Second)), "1:02:05"},
		{fmtDur(snapshot.None[time.Duration]()), "—"},
		{fmtPct(snapshot.Some(0.048)), "4.8%"},
		{fmtPct(snapshot.Some(0.0)), "0%"},
		{fmtPct(snapshot.Some(0.917)), "92%"},
		{fmtCount(snapshot.Some[int64](0)), "0"},
		{fmtCount(snapshot.Count(-1)), "—"},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("case %d: got %q, want %q", i, tc.got, tc.want)
		}
	}
}
