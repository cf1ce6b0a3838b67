package views

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// Sparklines chart the SparkMinutes closed minutes before the snapshot's minute, one
// point per minute (the minute's last value). Closed minutes only: a sparkline then
// changes once a minute, so a figure changing between polls travels alone.
const (
	SparkMinutes = 60
	// TrendMinutes is the span the rising/falling arrow looks at.
	TrendMinutes = 10
	// trendKnown is how many of those minutes must be known to call a trend.
	trendKnown = 6
	// sparkH is the sparkline's drawing height (viewBox units); x is the minute.
	sparkH = 20
)

// A 10-minute trend is significant when the least-squares line through its known
// minutes rises or falls by at least this much over TrendMinutes.
const (
	trendWaiting      = 2    // contacts
	trendServiceLevel = 0.05 // 5 percentage points
)

// Trends is the recent history a board charts, shared by every variant rendered
// from one snapshot: build it once per snapshot with NewTrends.
type Trends struct {
	// End is the snapshot's minute; the sparklines cover [End-SparkMinutes, End).
	End time.Time
	// Unavailable: the history store is failing (or could not be read); trend
	// elements say "History unavailable" instead of drawing a blank.
	Unavailable bool
	// byKey[i] indexes minute End-SparkMinutes+i by skill key; nil when unrecorded.
	byKey []map[string]*snapshot.Skill
}

// NewTrends indexes minutes (any order; those outside the window are ignored) for
// the sparklines ending at the minute of at.
func NewTrends(at time.Time, minutes []history.SkillMinute, unavailable bool) *Trends {
	t := &Trends{End: at.Truncate(time.Minute), Unavailable: unavailable, byKey: make([]map[string]*snapshot.Skill, SparkMinutes)}
	start := t.End.Add(-SparkMinutes * time.Minute)
	for _, m := range minutes {
		i := int(m.At.Sub(start) / time.Minute)
		if m.At.Before(start) || i >= SparkMinutes {
			continue
		}
		idx := make(map[string]*snapshot.Skill, len(m.Skills))
		for k := range m.Skills {
			idx[m.Skills[k].Key] = &m.Skills[k]
		}
		t.byKey[i] = idx
	}
	return t
}

// series is one figure per minute of the window for the skills with keys, their
// queues combined by the rules the tiles use (aggregate: waiting summed, service
// level weighted by handled), computing only those two; unknown where no skill was
// recorded or none knew the figure.
func (t *Trends) series(keys []string) (waiting, sl []snapshot.Opt[float64]) {
	waiting = make([]snapshot.Opt[float64], SparkMinutes)
	sl = make([]snapshot.Opt[float64], SparkMinutes)
	var qs []snapshot.Queue
	for i, idx := range t.byKey {
		qs = qs[:0]
		for _, k := range keys {
			if sk := idx[k]; sk != nil {
				qs = append(qs, sk.Queues...)
			}
		}
		if len(qs) == 0 {
			continue
		}
		if n, ok := sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Waiting }).Get(); ok {
			waiting[i] = snapshot.Some(float64(n))
		}
		sl[i] = weighted(qs, func(q snapshot.Queue) (float64, bool) { return q.ServiceLevel.Get() })
	}
	return waiting, sl
}

// trendProps is the trend element with id over the skills with keys.
func (d *data) trendProps(id string, keys []string) templates.TrendProps {
	tr := d.trends
	p := templates.TrendProps{ID: id, Span: strconv.Itoa(SparkMinutes) + " min", EndMS: msString(tr.End)}
	if tr.Unavailable {
		p.Note = "History unavailable"
		return p
	}
	waiting, sl := tr.series(keys)
	if !anyKnown(waiting) && !anyKnown(sl) {
		p.Note = "No history yet"
		return p
	}
	p.Sparks = []templates.SparkProps{
		spark("waiting", "Waiting", "Waiting", waiting, math.Max(1, maxKnown(waiting)), trendWaiting, fmtWaitingDelta),
		spark("sl", "SL", "Service level", sl, 1, trendServiceLevel, fmtPointsDelta),
	}
	return p
}

// spark draws values on a 0..top scale and names its trend when significant; short
// is its visible label, label its name in the text alternatives.
func spark(metric, short, label string, values []snapshot.Opt[float64], top, significant float64, delta func(float64) string) templates.SparkProps {
	s := templates.SparkProps{Metric: metric, Label: short, Path: linePath(values, top, sparkH),
		W: strconv.Itoa(SparkMinutes - 1), H: strconv.Itoa(sparkH), Top: strconv.FormatFloat(top, 'f', -1, 64)}
	s.Title = label + ", last " + strconv.Itoa(SparkMinutes) + " min: " + describe(values, metric)
	if d, ok := trend(values[len(values)-TrendMinutes:]); ok && math.Abs(d) >= significant {
		s.Trend, s.TrendText = "up", label+" rising, "+delta(d)+" in "+strconv.Itoa(TrendMinutes)+" min"
		if d < 0 {
			s.Trend, s.TrendText = "down", label+" falling, "+delta(d)+" in "+strconv.Itoa(TrendMinutes)+" min"
		}
	}
	return s
}

// linePath is an SVG path through the known values on a 0..top scale drawn h
// high: x = index, y = 0 at the top; a gap (unknown values) starts a new segment,
// and a lone point is a zero-length segment the round cap shows as a dot.
func linePath(values []snapshot.Opt[float64], top, h float64) string {
	var b strings.Builder
	prev := false
	for i, o := range values {
		v, ok := o.Get()
		if !ok {
			prev = false
			continue
		}
		cmd := "L"
		if !prev {
			cmd = "M"
		}
		// Hundredths of the height, without trailing zeros: "20", "13.33".
		y := math.Round((h-math.Min(math.Max(v/top, 0), 1)*h)*100) / 100
		b.WriteString(cmd + strconv.Itoa(i) + " " + strconv.FormatFloat(y, 'f', -1, 64))
		if !prev && (i+1 >= len(values) || !values[i+1].Known()) {
			b.WriteString("h0")
		}
		prev = true
	}
	return b.String()
}

// trend is the change over TrendMinutes of the least-squares line through the known
// values (x in minutes); ok is false with fewer than trendKnown of them.
func trend(values []snapshot.Opt[float64]) (float64, bool) {
	var n, sx, sy, sxx, sxy float64
	for i, o := range values {
		if v, ok := o.Get(); ok {
			x := float64(i)
			n, sx, sy, sxx, sxy = n+1, sx+x, sy+v, sxx+x*x, sxy+x*v
		}
	}
	den := n*sxx - sx*sx
	if n < trendKnown || den == 0 {
		return 0, false
	}
	return (n*sxy - sx*sy) / den * TrendMinutes, true
}

// describe is the sparkline's text alternative: range and latest value.
func describe(values []snapshot.Opt[float64], metric string) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	if metric == "sl" {
		f = func(v float64) string { return fmtPctRaw(v) }
	}
	lo, hi, last, ok := math.Inf(1), math.Inf(-1), 0.0, false
	for _, o := range values {
		if v, known := o.Get(); known {
			lo, hi, last, ok = math.Min(lo, v), math.Max(hi, v), v, true
		}
	}
	if !ok {
		return "no data"
	}
	return "lowest " + f(lo) + ", highest " + f(hi) + ", latest " + f(last)
}

func fmtWaitingDelta(d float64) string {
	return signed(strconv.FormatFloat(math.Round(d), 'f', 0, 64), d)
}
func fmtPointsDelta(d float64) string {
	return signed(strconv.FormatFloat(math.Round(d*100), 'f', 0, 64), d) + " points"
}

func signed(s string, d float64) string {
	if d > 0 {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

func anyKnown(vs []snapshot.Opt[float64]) bool {
	for _, v := range vs {
		if v.Known() {
			return true
		}
	}
	return false
}

func maxKnown(vs []snapshot.Opt[float64]) float64 {
	m := 0.0
	for _, o := range vs {
		if v, ok := o.Get(); ok {
			m = math.Max(m, v)
		}
	}
	return m
}

// trendID is the element id of the trend inside tile id.
func trendID(tileID string) string { return "trend-" + tileID }
