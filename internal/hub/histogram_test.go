package hub

import (
	"math/bits"
	"sync/atomic"
	"testing"
	"time"
)

// histogram records durations without allocating or locking, so thousands of
// subscriber goroutines can record during a benchmark without disturbing it.
// Buckets are log-linear: 16 per power of two, so a quantile is within about
// 6% of the true value.
type histogram struct {
	counts [64 * 16]atomic.Uint64
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))].Add(1)
}

func bucketOf(v uint64) int {
	if v < 16 {
		return int(v)
	}
	exp := bits.Len64(v) - 5 // shift that leaves the top 5 bits
	return (exp+1)*16 + int(v>>exp) - 16
}

// bucketTop is the largest value that falls in bucket i.
func bucketTop(i int) uint64 {
	if i < 16 {
		return uint64(i)
	}
	exp := i/16 - 1
	return ((uint64(i%16)+16)<<exp | (1<<exp - 1))
}

// quantile returns the q-quantile (0..1) of what was recorded, as the top of
// its bucket, or 0 if nothing was.
func (h *histogram) quantile(q float64) time.Duration {
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
	}
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total-1)) + 1
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			return time.Duration(bucketTop(i))
		}
	}
	return time.Duration(bucketTop(len(h.counts) - 1))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func TestHistogramQuantile(t *testing.T) {
	t.Parallel()
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	tests := []struct {
		name string
		q    float64
		want time.Duration
	}{
		{name: "p50", q: 0.50, want: 500 * time.Microsecond},
		{name: "p99", q: 0.99, want: 990 * time.Microsecond},
		{name: "max", q: 1, want: 1000 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.quantile(tt.q)
			if got < tt.want || float64(got) > float64(tt.want)*1.07 {
				t.Errorf("quantile(%v) = %v, want %v within +7%%", tt.q, got, tt.want)
			}
		})
	}
	for _, v := range []uint64{0, 1, 15, 16, 17, 31, 32, 33, 1000, 123456789, 1 << 62} {
		if b := bucketOf(v); bucketTop(b) < v || (b > 0 && bucketTop(b-1) >= v) {
			t.Errorf("value %d in bucket %d with top %d, previous top %d", v, b, bucketTop(b), bucketTop(b-1))
		}
	}
}
