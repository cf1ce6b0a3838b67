package snapshot

import (
	"testing"
	"time"
)

func TestDayWindow(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	six := 6 * time.Hour
	for _, tc := range []struct {
		name  string
		day   Day
		at    time.Time
		start time.Time
		mins  int
	}{
		{"midnight utc", Day{Loc: time.UTC}, time.Date(2025, 3, 12, 6, 30, 59, 0, time.UTC), time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC), 390},
		{"just after midnight is at least a minute", Day{Loc: time.UTC}, time.Date(2025, 3, 12, 0, 0, 20, 0, time.UTC), time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC), 1},
		{"end of day", Day{Loc: time.UTC}, time.Date(2025, 3, 12, 23, 59, 59, 0, time.UTC), time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC), 1439},
		{"berlin 06:00, after", Day{Loc: berlin, Reset: six}, time.Date(2025, 3, 12, 5, 30, 0, 0, time.UTC), time.Date(2025, 3, 12, 6, 0, 0, 0, berlin), 30},
		{"berlin 06:00, before: yesterday's reset", Day{Loc: berlin, Reset: six}, time.Date(2025, 3, 12, 4, 59, 0, 0, time.UTC), time.Date(2025, 3, 11, 6, 0, 0, 0, berlin), 1439},
		{"dst spring forward: a 23 h day", Day{Loc: berlin, Reset: six}, time.Date(2025, 3, 30, 3, 59, 0, 0, time.UTC), time.Date(2025, 3, 29, 6, 0, 0, 0, berlin), 1379},
		{"dst fall back: a 25 h day, capped at 1440", Day{Loc: berlin, Reset: six}, time.Date(2025, 10, 26, 4, 59, 0, 0, time.UTC), time.Date(2025, 10, 25, 6, 0, 0, 0, berlin), 1440},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start, mins := tc.day.Window(tc.at)
			if !start.Equal(tc.start) || mins != tc.mins {
				t.Errorf("Window(%v) = %v, %d; want %v, %d", tc.at, start, mins, tc.start, tc.mins)
			}
		})
	}
	if got := DayLabel(time.Date(2025, 3, 12, 6, 0, 0, 0, berlin)); got != "since 06:00" {
		t.Errorf("DayLabel = %q", got)
	}
	if DayLabel(time.Time{}) != "" {
		t.Error("zero start has a label")
	}
}
