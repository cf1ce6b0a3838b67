package simulator

import (
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Quality is what consumers of one skill and channel experienced over a window:
// response times of the contacts answered in it and the ratings of those closed
// in it.
type Quality struct {
	Answered int
	// ResponseSum sums the agents' first response after answering;
	// FirstResponseSum adds each contact's queue wait to it (consumer's first
	// message to the first agent response).
	ResponseSum, FirstResponseSum time.Duration
	// Scores counts ratings by score (index 1..5).
	Scores [6]int
}

// Rated is how many ratings there are; Positive how many were 4 or 5.
func (q Quality) Rated() int {
	return q.Scores[1] + q.Scores[2] + q.Scores[3] + q.Scores[4] + q.Scores[5]
}

// Positive counts the top-two-box ratings (4 and 5).
func (q Quality) Positive() int { return q.Scores[4] + q.Scores[5] }

// QualitySince returns skill's quality on channel ch (all skills of vendor v when
// skill is empty) over (from, Now].
func (w *World) QualitySince(v Vendor, skill string, ch snapshot.Channel, from time.Time) Quality {
	var q Quality
	for _, e := range w.EventsSince(from) {
		if e.Vendor != v || e.Channel != ch || !e.At.After(from) || (skill != "" && e.Skill != skill) {
			continue
		}
		switch e.Kind {
		case EventAnswered:
			q.Answered++
			q.ResponseSum += e.Response
			q.FirstResponseSum += e.Wait + e.Response
		case EventClosed:
			if e.Score >= 1 && e.Score <= 5 {
				q.Scores[e.Score]++
			}
		}
	}
	return q
}
