package views

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// The day chart draws a whole day (midnight to midnight) so its time axis never
// moves, in dayBucket steps; each step shows its minutes' worst value (most
// waiting, longest wait, lowest service level, fewest agents available), so a
// spike is never averaged away.
const (
	dayBucket  = 5 * time.Minute
	dayBuckets = int(24 * time.Hour / dayBucket)
	dayH       = 60 // panel drawing height (viewBox units)
)

// DayChart is a drill-down skill's day: From (local midnight) to To (now, or the
// moment of a time-travel page), from the minutes history kept of that skill.
type DayChart struct {
	From, To time.Time
	// Unavailable: the history store is failing or could not be read.
	Unavailable bool
	Minutes     []history.SkillMinute
}

// dayPanel is one figure of the day chart: how to read it from a minute, which
// way is worse, and its threshold bands.
type dayPanel struct {
	metric, label string
	get           func(snapshot.Skill, time.Duration) snapshot.Opt[float64]
	higherWorse   bool
	warn, crit    float64 // 0, 0: no bands
	format        func(float64) string
}

func (d *data) dayPanels() []dayPanel {
	secs := func(v float64) string { return fmtDur(snapshot.Some(time.Duration(v * float64(time.Second)))) }
	count := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	agg := func(sk snapshot.Skill, target time.Duration) snapshot.Queue { return aggregate(sk.Queues, target) }
	return []dayPanel{
		{"waiting", "Waiting", func(sk snapshot.Skill, t time.Duration) snapshot.Opt[float64] {
			return optFloat(agg(sk, t).Waiting)
		}, true, float64(d.t.WaitingWarn), float64(d.t.WaitingCrit), count},
		{"longest", "Longest wait", func(sk snapshot.Skill, t time.Duration) snapshot.Opt[float64] {
			if w, ok := agg(sk, t).LongestWait.Get(); ok {
				return snapshot.Some(w.Seconds())
			}
			return snapshot.None[float64]()
		}, true, d.t.LongestWaitWarn.Seconds(), d.t.LongestWaitCrit.Seconds(), secs},
		{"sl", "Service level", func(sk snapshot.Skill, t time.Duration) snapshot.Opt[float64] {
			return agg(sk, t).ServiceLevel
		}, false, d.t.ServiceLevelWarn, d.t.ServiceLevelCrit, fmtPctRaw},
		{"available", "Agents available", func(sk snapshot.Skill, _ time.Duration) snapshot.Opt[float64] {
			return snapshot.Some(float64(sk.Agents.Available))
		}, false, 0, 0, count},
	}
}

func optFloat(o snapshot.Opt[int64]) snapshot.Opt[float64] {
	if n, ok := o.Get(); ok {
		return snapshot.Some(float64(n))
	}
	return snapshot.None[float64]()
}

// dayChart renders the chart of the drill-down skill, or nil off a drill-down.
func (d *data) dayChart(ctx context.Context, dc *DayChart) ([]byte, error) {
	if dc == nil || d.skill == nil {
		return nil, nil
	}
	p := templates.DayChartProps{ID: "day-" + SkillTileID(d.skill.Key), Heading: d.skill.Name + " today",
		Span: dc.From.Local().Format("Mon 2 Jan") + ", until " + dc.To.Local().Format("15:04"),
		W:    strconv.Itoa(dayBuckets), H: strconv.Itoa(dayH)}
	for h := 0; h <= 24; h += 3 {
		p.Ticks = append(p.Ticks, strconv.Itoa(h)+":00")
	}
	if dc.Unavailable {
		p.Note = "History unavailable: the chart of the day cannot be read right now. Live figures carry on."
	} else {
		for _, pn := range d.dayPanels() {
			p.Panels = append(p.Panels, d.panel(pn, dc))
		}
	}
	return render(ctx, templates.DayChart(p), 8192)
}

// panel buckets the day's minutes for one figure and draws it with its bands.
func (d *data) panel(pn dayPanel, dc *DayChart) templates.DayPanelProps {
	vals := make([]snapshot.Opt[float64], dayBuckets)
	for _, m := range dc.Minutes {
		i := int(m.At.Sub(dc.From) / dayBucket)
		if i < 0 || i >= dayBuckets || len(m.Skills) == 0 {
			continue
		}
		v, ok := pn.get(m.Skills[0], d.t.ServiceLevelTarget).Get()
		if !ok {
			continue
		}
		if cur, known := vals[i].Get(); !known || pn.higherWorse && v > cur || !pn.higherWorse && v < cur {
			vals[i] = snapshot.Some(v)
		}
	}
	top := 1.0
	if pn.metric != "sl" {
		top = math.Max(math.Max(maxKnown(vals), 1), pn.crit*1.5) * 1.1
	}
	p := templates.DayPanelProps{Metric: pn.metric, Label: pn.label, Path: linePath(vals, top, dayH), Top: strconv.FormatFloat(top, 'f', -1, 64)}
	y := func(v float64) float64 { return dayH - math.Min(math.Max(v/top, 0), 1)*dayH }
	band := func(class string, lo, hi float64) templates.Band {
		return templates.Band{Class: class, Y: fmtY(y(hi)), H: fmtY(y(lo) - y(hi))}
	}
	var bands []string
	switch {
	case pn.warn == 0 && pn.crit == 0:
	case pn.higherWorse:
		p.Bands = []templates.Band{band("warn", pn.warn, pn.crit), band("crit", pn.crit, top)}
		bands = []string{"warning from " + pn.format(pn.warn), "critical from " + pn.format(pn.crit)}
	default:
		p.Bands = []templates.Band{band("warn", pn.crit, pn.warn), band("crit", 0, pn.crit)}
		bands = []string{"warning below " + pn.format(pn.warn), "critical below " + pn.format(pn.crit)}
	}
	p.Title = pn.label + ", " + dc.From.Local().Format("Mon 2 Jan") + " 0:00 to " + dc.To.Local().Format("15:04")
	p.Desc, p.Summary = dayDesc(vals, dc.From, pn), daySummary(vals, pn)
	if len(bands) > 0 {
		p.Desc += "; shaded: " + strings.Join(bands, ", ")
	}
	return p
}

func fmtY(y float64) string { return strconv.FormatFloat(y, 'f', 2, 64) }

// dayDesc is the panel's text alternative: its worst bucket and its latest.
func dayDesc(vals []snapshot.Opt[float64], from time.Time, pn dayPanel) string {
	worst, at, last, ok := 0.0, 0, 0.0, false
	for i, o := range vals {
		v, known := o.Get()
		if !known {
			continue
		}
		if !ok || pn.higherWorse && v > worst || !pn.higherWorse && v < worst {
			worst, at = v, i
		}
		last, ok = v, true
	}
	if !ok {
		return "nothing recorded yet today"
	}
	word := "highest"
	if !pn.higherWorse {
		word = "lowest"
	}
	return word + " " + pn.format(worst) + " at " + from.Add(time.Duration(at)*dayBucket).Local().Format("15:04") + ", latest " + pn.format(last)
}

// daySummary is the visible figure beside the panel's label: the latest value.
func daySummary(vals []snapshot.Opt[float64], pn dayPanel) string {
	for i := len(vals) - 1; i >= 0; i-- {
		if v, ok := vals[i].Get(); ok {
			return pn.format(v)
		}
	}
	return dash
}
