package history

import (
	"fmt"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Unit says how a metric's values read.
type Unit string

// Units of metrics.
const (
	Count   Unit = "count"
	Seconds Unit = "seconds"
	Ratio   Unit = "ratio" // 0..1
)

// Metric is one figure of a skill a series can follow. Name is the API's vocabulary
// (the same words as the snapshot JSON, in snake case).
type Metric struct {
	Name string
	Unit Unit
	// queue is the figure's position in queueCells, or -1 for an agent count.
	queue int
	// state is the index in snapshot.States for an agent count.
	state int
}

// Metrics lists every metric, queue figures first (in queueCells order).
var Metrics = func() []Metric {
	q := []struct {
		name string
		unit Unit
	}{
		{"waiting", Count}, {"longest_wait", Seconds}, {"avg_wait_30m", Seconds}, {"avg_wait_60m", Seconds},
		{"abandoned_30m", Count}, {"abandon_rate", Ratio}, {"handled", Count}, {"ongoing", Count},
		{"service_level", Ratio}, {"service_level_target", Seconds}, {"available_slots", Count},
		{"estimated_wait", Seconds}, {"overdue", Count},
	}
	var ms []Metric
	for i, m := range q {
		ms = append(ms, Metric{Name: m.name, Unit: m.unit, queue: i})
	}
	for k, st := range snapshot.States {
		ms = append(ms, Metric{Name: "agents_" + string(st), Unit: Count, queue: -1, state: k})
	}
	return ms
}()

// MetricNamed returns the metric called name.
func MetricNamed(name string) (Metric, error) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, nil
		}
	}
	return Metric{}, fmt.Errorf("%w: unknown metric %q (one of waiting, longest_wait, service_level, agents_available, …)", ErrBadQuery, name)
}

// cell returns the cell of m for skill i on channel ch in l, or -1.
func (m Metric) cell(l *layout, i int, ch snapshot.Channel) int {
	if m.queue < 0 {
		return l.countCell(i, m.state)
	}
	return l.queueCell(i, ch, m.queue)
}

// value converts a cell to the metric's unit.
func (m Metric) value(c int64) snapshot.Opt[float64] {
	if c == none {
		return snapshot.None[float64]()
	}
	switch m.Unit {
	case Seconds:
		return snapshot.Some(float64(c) / 1e3)
	case Ratio:
		return snapshot.Some(float64(c) / 1e6)
	}
	return snapshot.Some(float64(c))
}
