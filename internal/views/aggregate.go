package views

import (
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// aggregate combines queues (several skills, or one skill's channels) into one set
// of figures: counts are summed, the longest wait is the maximum, and averages and
// rates are weighted by contacts handled when every contributing queue says how many
// it handled, else a simple mean of the known values. A figure no queue knows stays
// unknown: a summary must never turn "no data" into 0.
func aggregate(qs []snapshot.Queue, defaultTarget time.Duration) snapshot.Queue {
	var out snapshot.Queue
	out.Waiting = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Waiting })
	out.Abandoned30m = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Abandoned30m })
	out.Handled = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Handled })
	out.Ongoing = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Ongoing })
	out.AvailableSlots = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.AvailableSlots })
	out.Overdue = sumCounts(qs, func(q snapshot.Queue) snapshot.Opt[int64] { return q.Overdue })
	for _, q := range qs {
		if d, ok := q.LongestWait.Get(); ok && (!out.LongestWait.Known() || d > out.LongestWait.Or(0)) {
			out.LongestWait = snapshot.Some(d)
		}
	}
	out.AvgWait30m = durOpt(weighted(qs, func(q snapshot.Queue) (float64, bool) { d, ok := q.AvgWait30m.Get(); return float64(d), ok }))
	out.AvgWait60m = durOpt(weighted(qs, func(q snapshot.Queue) (float64, bool) { d, ok := q.AvgWait60m.Get(); return float64(d), ok }))
	out.ServiceLevel = weighted(qs, func(q snapshot.Queue) (float64, bool) { return q.ServiceLevel.Get() })
	out.AbandonRate = weighted(qs, func(q snapshot.Queue) (float64, bool) { return q.AbandonRate.Get() })

	// One target if every queue with a service level agrees; else the board's.
	out.ServiceLevelTarget = snapshot.Some(defaultTarget)
	first := true
	for _, q := range qs {
		if !q.ServiceLevel.Known() || !q.ServiceLevelTarget.Known() {
			continue
		}
		if first {
			out.ServiceLevelTarget, first = q.ServiceLevelTarget, false
		} else if q.ServiceLevelTarget != out.ServiceLevelTarget {
			out.ServiceLevelTarget = snapshot.None[time.Duration]() // mixed: the note is left off rather than lie
			break
		}
	}
	if len(qs) == 1 {
		out.Channel = qs[0].Channel
	}
	return out
}

func sumCounts(qs []snapshot.Queue, f func(snapshot.Queue) snapshot.Opt[int64]) snapshot.Opt[int64] {
	var sum int64
	known := false
	for _, q := range qs {
		if n, ok := f(q).Get(); ok {
			sum += n
			known = true
		}
	}
	if !known {
		return snapshot.None[int64]()
	}
	return snapshot.Some(sum)
}

// weighted averages the known values of f, weighted by Handled when every queue
// with a value knows its Handled (and they are not all zero), else a simple mean.
func weighted(qs []snapshot.Queue, f func(snapshot.Queue) (float64, bool)) snapshot.Opt[float64] {
	var sum, wsum, wtotal float64
	n := 0
	byHandled := true
	for _, q := range qs {
		v, ok := f(q)
		if !ok {
			continue
		}
		n++
		sum += v
		h, hok := q.Handled.Get()
		if !hok {
			byHandled = false
			continue
		}
		wsum += v * float64(h)
		wtotal += float64(h)
	}
	switch {
	case n == 0:
		return snapshot.None[float64]()
	case byHandled && wtotal > 0:
		return snapshot.Some(wsum / wtotal)
	}
	return snapshot.Some(sum / float64(n))
}

func durOpt(o snapshot.Opt[float64]) snapshot.Opt[time.Duration] {
	if v, ok := o.Get(); ok {
		return snapshot.Some(time.Duration(v))
	}
	return snapshot.None[time.Duration]()
}
