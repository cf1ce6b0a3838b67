package views

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// dash is how every unknown figure renders: never 0, which would be a lie.
const dash = "—"

func fmtCount(o snapshot.Opt[int64]) string {
	if n, ok := o.Get(); ok {
		return strconv.FormatInt(n, 10)
	}
	return dash
}

// fmtDur renders a wait as m:ss (h:mm:ss past an hour), the way wallboards do.
func fmtDur(o snapshot.Opt[time.Duration]) string {
	d, ok := o.Get()
	if !ok {
		return dash
	}
	s := int64(d.Round(time.Second) / time.Second)
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// fmtPct renders a ratio as a whole percent, with one decimal under 10%.
func fmtPct(o snapshot.Opt[float64]) string {
	r, ok := o.Get()
	if !ok {
		return dash
	}
	p := r * 100
	if p > 0 && p < 10 {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// fmtScore renders a satisfaction score with its scale ("4.4 / 5"): a bare 4.4
// could be out of 5, 10 or 100.
func fmtScore(o snapshot.Opt[float64]) string {
	if v, ok := o.Get(); ok {
		return strconv.FormatFloat(v, 'f', 1, 64) + " / 5"
	}
	return dash
}

// fmtPctCapped renders a utilisation that can exceed 1 (more chats than slots):
// the figure stops at 100% and the title carries the true value.
func fmtPctCapped(o snapshot.Opt[float64]) (value, title string) {
	r, ok := o.Get()
	if !ok || r <= 1 {
		return fmtPct(o), ""
	}
	return "100%", "true value " + fmtPctRaw(r)
}

// fmtPctRaw is a ratio as a whole percent, uncapped.
func fmtPctRaw(r float64) string { return strconv.FormatFloat(r*100, 'f', 0, 64) + "%" }

// fmtTarget renders a service-level target for the figure's note ("≤ 30s").
func fmtTarget(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	if d%time.Minute == 0 {
		return "in " + strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return "in " + strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
}

// msString is a Unix-milliseconds timestamp for data-* attributes; "" for zero.
func msString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// higherWorse grades a figure where more is worse (waiting, waits, abandon rate).
func higherWorse[T int64 | time.Duration | float64](o snapshot.Opt[T], warn, crit T) templates.Level {
	v, ok := o.Get()
	switch {
	case !ok:
		return templates.LevelNone
	case v >= crit:
		return templates.LevelCrit
	case v >= warn:
		return templates.LevelWarn
	}
	return templates.LevelOK
}

// lowerWorse grades a figure where less is worse (service level).
func lowerWorse(o snapshot.Opt[float64], warn, crit float64) templates.Level {
	v, ok := o.Get()
	switch {
	case !ok:
		return templates.LevelNone
	case v < crit:
		return templates.LevelCrit
	case v < warn:
		return templates.LevelWarn
	}
	return templates.LevelOK
}
