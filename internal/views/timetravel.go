package views

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/web/templates"
)

// TimeTravel renders a manager page as the board was at a moment: the page is static
// (no live channel), its clocks stand still at At, and a banner with a scrubber moves
// it through the recorded range.
type TimeTravel struct {
	// At is the moment asked for; the scrubber and the ±minute moves start from it.
	At time.Time
	// Shown is the recorded snapshot's time (at or just before At): the banner names
	// it and the page's clocks and times in state stand still at it.
	Shown time.Time
	// Earliest and Latest bound the scrubber.
	Earliest, Latest time.Time
	// Base is the page's path and query without at ("/boards/demo?skill=x").
	Base string
}

func (tt *TimeTravel) bar() *templates.HistoryBar {
	move := func(d time.Duration) string {
		t := tt.At.Add(d)
		if t.Before(tt.Earliest) || t.After(tt.Latest) {
			return ""
		}
		return tt.url(t)
	}
	return &templates.HistoryBar{
		AtMS: msString(tt.Shown), AtText: tt.Shown.Local().Format("15:04:05 Mon 2 Jan"), ValueMS: msString(tt.At),
		MinMS: msString(tt.Earliest), MaxMS: msString(tt.Latest), StepMS: strconv.Itoa(int(time.Minute / time.Millisecond)),
		Base: tt.Base, Live: tt.Base,
		Back10: move(-10 * time.Minute), Back1: move(-time.Minute), Fwd1: move(time.Minute), Fwd10: move(10 * time.Minute),
	}
}

func (tt *TimeTravel) url(t time.Time) string {
	sep := "?"
	if strings.Contains(tt.Base, "?") {
		sep = "&"
	}
	return tt.Base + sep + "at=" + url.QueryEscape(t.UTC().Format(time.RFC3339))
}
