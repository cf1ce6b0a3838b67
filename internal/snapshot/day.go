package snapshot

import (
	"fmt"
	"time"
)

// Day is when a contact center's day begins: a daily reset time of day in a time
// zone. "Today" figures cover the window from the latest reset until now. The zero
// Day resets at midnight in the server's zone.
type Day struct {
	// Loc is the zone the reset time is read in. Nil means time.Local.
	Loc *time.Location
	// Reset is the reset's offset from local midnight, 0 ≤ Reset < 24h.
	Reset time.Duration
}

// MaxDayWindow is the longest window since a reset: one day, which is also the
// longest window LivePerson's Operational Realtime and Messaging Operations accept
// (timeframe ≤ 1440 minutes) and KMM's "at most 24 hours".
const MaxDayWindow = 24 * time.Hour

func (d Day) loc() *time.Location {
	if d.Loc == nil {
		return time.Local
	}
	return d.Loc
}

// Start returns the latest reset at or before now, in the day's zone. Around a
// daylight-saving change the reset is that calendar day's wall-clock time.
func (d Day) Start(now time.Time) time.Time {
	t := now.In(d.loc())
	y, m, dd := t.Date()
	h, mi := int(d.Reset/time.Hour), int(d.Reset%time.Hour/time.Minute)
	start := time.Date(y, m, dd, h, mi, 0, 0, d.loc())
	if start.After(t) {
		start = time.Date(y, m, dd-1, h, mi, 0, 0, d.loc())
	}
	return start
}

// Window returns the reset at or before now and the whole minutes from it to now,
// at least 1 and at most 1440: the Operational Realtime timeframe that covers the
// day so far (the API refuses 0 and anything above 1440).
func (d Day) Window(now time.Time) (start time.Time, minutes int) {
	start = d.Start(now)
	since := min(now.Sub(start), MaxDayWindow)
	return start, min(max(int(since/time.Minute), 1), int(MaxDayWindow/time.Minute))
}

// DayLabel names a window that began at start the way pages show it: "since 06:00"
// (the reset's wall-clock time in its own zone).
func DayLabel(start time.Time) string {
	if start.IsZero() {
		return ""
	}
	return fmt.Sprintf("since %02d:%02d", start.Hour(), start.Minute())
}
