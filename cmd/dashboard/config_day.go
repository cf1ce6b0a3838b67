package main

import (
	"errors"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// DayConfig is when a source's (an account's) day begins: the "today" figures,
// agents' handled counts and day activity count from the latest reset. One poll
// serves every board, so the day belongs to the source, not the board.
type DayConfig struct {
	// TimeZone is an IANA zone name (Europe/Berlin). Empty means the server's zone.
	TimeZone string `yaml:"time_zone"`
	// Reset is the time of day the day begins, "HH:MM". Empty means "00:00".
	Reset string `yaml:"reset"`

	// loc overrides TimeZone (the demo's floor zone has no IANA name).
	loc *time.Location
}

// day parses the settings into a snapshot.Day; errors name the keys relative to the
// day section (time_zone, reset).
func (d DayConfig) day() (snapshot.Day, error) {
	out := snapshot.Day{Loc: time.Local}
	var errs []error
	switch {
	case d.loc != nil:
		out.Loc = d.loc
	case d.TimeZone == "Local":
		errs = append(errs, field.Errorf("time_zone", "%q: name the zone (e.g. Europe/Berlin), or leave it empty for the server's", d.TimeZone))
	case d.TimeZone != "":
		loc, err := time.LoadLocation(d.TimeZone)
		if err != nil {
			errs = append(errs, field.Errorf("time_zone", "%q is not an IANA time zone such as Europe/Berlin", d.TimeZone))
		}
		out.Loc = loc
	}
	if d.Reset != "" {
		t, err := time.Parse("15:04", d.Reset)
		if err != nil || len(d.Reset) != 5 {
			errs = append(errs, field.Errorf("reset", "%q: want a 24-hour time of day HH:MM, e.g. \"06:00\"", d.Reset))
		} else {
			out.Reset = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
		}
	}
	return out, errors.Join(errs...)
}
