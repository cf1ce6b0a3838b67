package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/views"
)

// parseBoards is the boards a valid config file gives.
func parseBoards(t *testing.T, src string) []views.Board {
	t.Helper()
	c, err := ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	boards, err := buildBoards(c.Boards, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return boards
}

// TestSkillThresholdsConfig: boards[].skill_thresholds reach the board sorted by
// skill, and a bad value stops start-up naming its key.
func TestSkillThresholdsConfig(t *testing.T) {
	t.Parallel()
	good := `boards:
  - id: floor
    thresholds: {waiting_crit: 20}
    skill_thresholds:
      VIP: {waiting_warn: 1, waiting_crit: 2, service_level_target: 20s}
      "comm100:7": {longest_wait_warn: 10s}
`
	st := parseBoards(t, good)[0].SkillThresholds
	if len(st) != 2 || st[0].Skill != "VIP" || st[1].Skill != "comm100:7" {
		t.Fatalf("skill thresholds = %+v, want VIP then comm100:7", st)
	}
	if v := st[0].Thresholds; v.WaitingWarn != 1 || v.WaitingCrit != 2 || v.ServiceLevelTarget != 20*time.Second || v.LongestWaitWarn != 0 {
		t.Errorf("VIP = %+v", v)
	}
	if v := st[1].Thresholds; v.LongestWaitWarn != 10*time.Second || v.WaitingCrit != 0 {
		t.Errorf("comm100:7 = %+v (a key left out stays zero: the board's)", v)
	}
	for _, tc := range []struct{ yaml, key string }{
		{"skill_thresholds: {VIP: {waiting_warn: 9}}", "boards[0].skill_thresholds.VIP.waiting_warn"}, // over the default crit 6
		{"skill_thresholds: {VIP: {service_level_crit: 0.9}}", "boards[0].skill_thresholds.VIP.service_level_crit"},
		{"skill_thresholds: {VIP: {csat_warn: 2}}", "boards[0].skill_thresholds.VIP.csat_warn"},
		{"skill_thresholds: {VIP: {avg_wait_warn: -1s}}", "boards[0].skill_thresholds.VIP.avg_wait_warn"},
		{"skill_thresholds: {VIP: {stale_after: 10s}}", "boards[0].skill_thresholds.VIP.stale_after"},
		{"skill_thresholds: {\"\": {waiting_warn: 1}}", "boards[0].skill_thresholds"},
		{"skill_thresholds: {VIP: {waiting_wran: 1}}", "waiting_wran"},
	} {
		_, err := ParseConfig([]byte("boards:\n  - id: floor\n    "+tc.yaml+"\n"), env(nil))
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s: error %v, want one naming %s", tc.yaml, err, tc.key)
		}
	}
}
