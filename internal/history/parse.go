package history

import (
	"fmt"
	"time"
)

// ParseAt reads a moment as pages and the API take it: RFC 3339
// ("2026-03-02T10:40:00Z") or a time of day "HH:MM" (or "HH:MM:SS") meaning today in
// now's location. A moment after now is refused: history cannot show it yet.
func ParseAt(s string, now time.Time) (time.Time, error) {
	var t time.Time
	if len(s) <= len("15:04:05") {
		layout := "15:04"
		if len(s) > len("15:04") {
			layout = "15:04:05"
		}
		clock, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: at %q: use RFC 3339 (2006-01-02T15:04:05Z) or HH:MM", ErrBadQuery, s)
		}
		y, m, d := now.Date()
		t = time.Date(y, m, d, clock.Hour(), clock.Minute(), clock.Second(), 0, now.Location())
	} else {
		var err error
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, fmt.Errorf("%w: at %q: use RFC 3339 (2006-01-02T15:04:05Z) or HH:MM", ErrBadQuery, s)
		}
	}
	if t.After(now) {
		return time.Time{}, fmt.Errorf("%w: at %s is in the future", ErrBadQuery, t.Format(time.RFC3339))
	}
	return t, nil
}
