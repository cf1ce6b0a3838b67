package main

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
)

// TestStaleAfterFollowsSlowestSource: a source polled every minute must not show STALE
// (or fail /readyz) between two healthy polls.
func TestStaleAfterFollowsSlowestSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		intervals []time.Duration
		want      time.Duration
	}{
		{nil, 45 * time.Second},
		{[]time.Duration{10 * time.Second}, 45 * time.Second},
		{[]time.Duration{10 * time.Second, time.Minute}, 3 * time.Minute},
	}
	for _, tt := range tests {
		var srcs []poller.SourceConfig
		for _, iv := range tt.intervals {
			srcs = append(srcs, poller.SourceConfig{Interval: iv})
		}
		if got := staleAfterFor(srcs); got != tt.want {
			t.Errorf("intervals %v: got %v, want %v", tt.intervals, got, tt.want)
		}
		boards, err := buildBoards([]BoardConfig{{ID: "a"}, {ID: "b", Thresholds: ThresholdsConfig{StaleAfter: Duration(time.Hour)}}}, tt.want)
		if err != nil {
			t.Fatal(err)
		}
		if boards[0].Thresholds.StaleAfter != tt.want || boards[1].Thresholds.StaleAfter != time.Hour {
			t.Errorf("board stale_after: got %v and %v", boards[0].Thresholds.StaleAfter, boards[1].Thresholds.StaleAfter)
		}
	}
}

func TestBusyFloorTime(t *testing.T) {
	t.Parallel()
	for h := 0; h < 24; h++ {
		now := time.Date(2026, 11, 21, h, 17, 0, 0, time.UTC)
		got := busyFloorTime(now)
		if !got.Equal(now) {
			t.Errorf("%v: the instant moved to %v", now, got)
		}
		if got.Hour() != 10 || got.Minute() != 30 {
			t.Errorf("%v: floor local time %v, want 10:30", now, got.Format("15:04"))
		}
	}
}
