package simulator

import (
	"testing"
	"time"
	"unicode/utf8"
)

// TestLargeFloor checks the shape the wall's browser tests rely on: about 25 skills
// over both vendors with names up to 24 characters, 150 agents, and at mid-morning a
// floor busy enough that some queues breach the default thresholds (3 waiting, 60 s
// longest wait) while others stay calm.
func TestLargeFloor(t *testing.T) {
	t.Parallel()
	cfg := DefaultCredentials()
	cfg.Floor, cfg.Manual = FloorLarge, true
	cfg.Start = time.Date(2025, 3, 12, 10, 30, 0, 0, time.UTC)
	s := New(cfg)
	tr := s.Truth()
	vendors := map[Vendor]int{}
	longest := 0
	for _, sk := range tr.Skills {
		vendors[sk.Vendor]++
		longest = max(longest, utf8.RuneCountInString(sk.Name))
	}
	if n := len(tr.Skills); n < 24 || n > 26 {
		t.Errorf("skills = %d, want about 25", n)
	}
	if vendors[VendorComm100] == 0 || vendors[VendorLivePerson] == 0 {
		t.Errorf("skills per vendor = %v, want both vendors", vendors)
	}
	if longest != 24 {
		t.Errorf("longest skill name = %d characters, want 24", longest)
	}
	if n := len(tr.Agents); n != 150 {
		t.Errorf("agents = %d, want 150", n)
	}
	breaching, calm := 0, 0
	for range 10 { // look over ten minutes: queues come and go
		s.Advance(time.Minute)
		for _, sk := range s.Truth().Skills {
			for _, q := range sk.Queues {
				if q.Waiting >= 3 || q.LongestWait >= time.Minute {
					breaching++
				} else {
					calm++
				}
			}
		}
	}
	if breaching == 0 || calm == 0 {
		t.Errorf("queue samples breaching/calm = %d/%d, want both", breaching, calm)
	}
	t.Logf("breaching %d, calm %d of %d queue samples", breaching, calm, breaching+calm)
}

func TestFloorNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", FloorSmall, FloorLarge} {
		if !ValidFloor(name) {
			t.Errorf("ValidFloor(%q) = false", name)
		}
	}
	if ValidFloor("huge") {
		t.Error(`ValidFloor("huge") = true`)
	}
}
