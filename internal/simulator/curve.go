package simulator

import (
	"math"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// curvePoints is the daily arrival curve: relative load (peak = 1) at local hours.
// Quiet night, morning ramp, lunch peak, a slower afternoon, evening tail.
var curvePoints = []struct{ hour, load float64 }{
	{0, 0.06}, {3, 0.03}, {6, 0.10}, {8, 0.45}, {10, 0.80}, {12, 1.00}, {13, 0.95},
	{14, 0.75}, {16, 0.70}, {18, 0.45}, {20, 0.30}, {22, 0.15}, {24, 0.06},
}

// DailyCurve returns the relative arrival load at local time t (1 at the lunch peak).
func DailyCurve(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60 + float64(t.Second())/3600
	for i := 1; i < len(curvePoints); i++ {
		a, b := curvePoints[i-1], curvePoints[i]
		if h <= b.hour {
			return a.load + (b.load-a.load)*(h-a.hour)/(b.hour-a.hour)
		}
	}
	return curvePoints[len(curvePoints)-1].load
}

// peakRate is contacts per second at the peak, per vendor and channel, spread over the
// skills serving that channel by weight. Sized so the floor is near capacity at lunch:
// queues form in surges and when agents take breaks, not all day.
var peakRate = map[Vendor]map[snapshot.Channel]float64{
	VendorComm100:    {snapshot.Chat: 0.11},
	VendorLivePerson: {snapshot.Chat: 0.05, snapshot.Messaging: 0.015},
}

// ArrivalRate is the expected new contacts per second for skill sk on channel ch now,
// including any surge.
func (w *World) ArrivalRate(sk *Skill, ch snapshot.Channel) float64 {
	if !sk.Serves(ch) {
		return 0
	}
	sum := 0.0
	for _, s := range w.Skills {
		if s.Vendor == sk.Vendor && s.Serves(ch) {
			sum += s.Weight
		}
	}
	if sum == 0 {
		return 0
	}
	scale := w.arrivalScale
	if scale == 0 {
		scale = 1
	}
	return peakRate[sk.Vendor][ch] * sk.Weight / sum * DailyCurve(w.Now) * sk.Surge * scale
}

// poisson draws a Poisson variate with mean lambda (Knuth; lambda is small here).
func (w *World) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= w.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// expDur draws min + an exponential duration with the given mean, capped at max,
// rounded to whole seconds (the simulation's step).
func (w *World) expDur(min, mean, max time.Duration) time.Duration {
	d := min + time.Duration(w.rng.ExpFloat64()*float64(mean))
	if d > max {
		d = max
	}
	return d.Round(time.Second)
}

// between draws a whole-minute duration in [lo, hi].
func (w *World) between(lo, hi time.Duration) time.Duration {
	span := int((hi - lo) / time.Minute)
	return lo + time.Duration(w.rng.IntN(span+1))*time.Minute
}
