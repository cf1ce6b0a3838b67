package snapshot

import (
	"sort"
	"time"
)

// Bucket is one bar of a service-level histogram: Count contacts answered after
// waiting at least From (and less than the next bucket's From).
type Bucket struct {
	From  time.Duration
	Count int64
}

// ServiceLevelFromHistogram returns the share of answered contacts whose wait was
// under target. Buckets that straddle the target are not split: the result counts
// only buckets that lie wholly under it, which is how LivePerson's SLA histogram is
// meant to be read (choose bucket bounds that include the target). Unknown when no
// contact was answered.
func ServiceLevelFromHistogram(buckets []Bucket, target time.Duration) Opt[float64] {
	bs := append([]Bucket(nil), buckets...)
	sort.Slice(bs, func(i, j int) bool { return bs[i].From < bs[j].From })
	var total, within int64
	for i, b := range bs {
		total += b.Count
		upper := time.Duration(1<<63 - 1)
		if i+1 < len(bs) {
			upper = bs[i+1].From
		}
		if upper <= target {
			within += b.Count
		}
	}
	if total == 0 {
		return None[float64]()
	}
	return Some(float64(within) / float64(total))
}

// ServiceLevelFromWaits returns the share of waits under target; unknown when there
// are none.
func ServiceLevelFromWaits(waits []time.Duration, target time.Duration) Opt[float64] {
	if len(waits) == 0 {
		return None[float64]()
	}
	n := 0
	for _, w := range waits {
		if w < target {
			n++
		}
	}
	return Some(float64(n) / float64(len(waits)))
}

// LoadRatio normalizes a vendor load figure to a ratio: vendors document loads as a
// "percentage" but send 0.133 in one example and 20 in another. Values above 2.5 are
// taken as percent (a real ratio can exceed 1 when agents are over-assigned, but not
// by 250%); negatives are unknown.
func LoadRatio(v float64) Opt[float64] {
	switch {
	case v < 0:
		return None[float64]()
	case v > 2.5:
		return Some(v / 100)
	default:
		return Some(v)
	}
}
