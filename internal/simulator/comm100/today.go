package comm100

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// The v4 realTime methods take utcOffset (minutes, [INFER]), startTime and endTime
// (REFERENCE.md §7.3, §7.4): "today" is then the window from startTime until now
// instead of the site's midnight.

// maxUTCOffset is the widest zone offset there is (UTC+14), in minutes.
const maxUTCOffset = 14 * 60

// c100Window is a request's day window: since the floor's midnight when the request
// names no startTime, else a length back from the simulated now. The length is
// endTime − startTime (endTime defaults to the real now), so a client on any clock
// asks about the simulated day it means.
type c100Window struct {
	length time.Duration // zero: since midnight
}

func (c c100Window) from(wd *simulator.World) time.Time {
	if c.length == 0 {
		return wd.Midnight().Add(-time.Second) // windows are (from, now]: midnight is in
	}
	return wd.Now.Add(-c.length)
}

// parseC100Window reads utcOffset/startTime/endTime. Times are either RFC 3339 with
// their own offset or a wall time "2006-01-02T15:04:05" read at utcOffset. startTime
// must not be after latest (the later of the real and simulated clocks), nor more
// than a day before endTime (the floor keeps one day); endTime must not be before
// startTime.
func parseC100Window(r *http.Request, realNow, latest time.Time) (c100Window, error) {
	q := r.URL.Query()
	offset := 0
	if v := q.Get("utcOffset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < -maxUTCOffset || n > maxUTCOffset {
			return c100Window{}, fmt.Errorf("utcOffset must be minutes between -%d and %d", maxUTCOffset, maxUTCOffset)
		}
		offset = n
	}
	raw := q.Get("startTime")
	if raw == "" {
		return c100Window{}, nil
	}
	zone := time.FixedZone("utcOffset", offset*60)
	start, err := parseC100Time(raw, zone)
	if err != nil {
		return c100Window{}, fmt.Errorf("startTime: %w", err)
	}
	end := realNow
	if v := q.Get("endTime"); v != "" {
		if end, err = parseC100Time(v, zone); err != nil {
			return c100Window{}, fmt.Errorf("endTime: %w", err)
		}
	}
	switch length := end.Sub(start); {
	case start.After(latest.Add(time.Minute)):
		return c100Window{}, fmt.Errorf("startTime is in the future")
	case length < 0:
		return c100Window{}, fmt.Errorf("endTime is before startTime")
	case length > 24*time.Hour:
		return c100Window{}, fmt.Errorf("startTime is more than a day before endTime")
	default:
		return c100Window{length: max(length, time.Second)}, nil
	}
}

func parseC100Time(raw string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", raw, zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("want 2006-01-02T15:04:05 or RFC 3339, got %q", raw)
	}
	return t, nil
}

// window parses r's day window against the simulator's clocks.
func (s *server) window(r *http.Request) (c100Window, error) {
	real, sim := s.RealNow(), s.Now()
	latest := real
	if sim.After(real) {
		latest = sim
	}
	return parseC100Window(r, real, latest)
}
