package poller

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Num is a number from a vendor payload, read leniently under one policy for every
// vendor:
//
//   - a JSON number or a numeric string ("20", " 3.0 ") is known;
//   - null, absent, "" and anything else — a placeholder ("NA", "-"), a word, a
//     boolean, an object or array, NaN, ±Inf, or a value beyond ±1e15 — is unknown.
//
// A figure the vendor could not fill therefore shows "—" instead of failing the
// whole poll. Why: both vendors document some figures as a number in one place and a
// string in another (Comm100 intradayChats, LivePerson "NA" ids and counts), and one
// odd figure must not blank every other figure of the source for as long as the
// vendor keeps sending it. A garbled answer is still refused as a whole: truncated
// JSON, the wrong shape or a missing id fail the poll (snapshot.ErrBadResponse), and
// the last good data stays on the wall marked stale.
//
// Negative values stay as sent: the accessors turn the documented -1 into unknown.
type Num struct {
	v  float64
	ok bool
}

// maxNum bounds a known figure; beyond it the value is garbage, not data.
const maxNum = 1e15

// UnmarshalJSON implements the policy above; it never returns an error.
func (n *Num) UnmarshalJSON(b []byte) error {
	*n = Num{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	switch b[0] {
	case '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		s = strings.TrimSpace(s)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return nil // null, true, false, {…}, […]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f > maxNum || f < -maxNum {
		return nil
	}
	n.v, n.ok = f, true
	return nil
}

// NumOf returns a known Num (tests, derived figures).
func NumOf(v float64) Num { return Num{v: v, ok: true} }

// Known reports whether the vendor sent a usable number.
func (n Num) Known() bool { return n.ok }

// Value returns the number and whether it is known.
func (n Num) Value() (float64, bool) { return n.v, n.ok }

// Raw returns the number as sent, 0 when unknown; for arithmetic after Known.
func (n Num) Raw() float64 { return n.v }

// Or returns the first known of n and alts: the helper that makes two documented
// spellings of one field (ongoingChats/onGoingChats) one value.
func (n Num) Or(alts ...Num) Num {
	if n.ok {
		return n
	}
	for _, a := range alts {
		if a.ok {
			return a
		}
	}
	return n
}

// Count is a known count when the vendor sent a non-negative number; fractions are
// truncated (Comm100 v3 sends 3.0).
func (n Num) Count() snapshot.Opt[int64] {
	if !n.ok {
		return snapshot.None[int64]()
	}
	return snapshot.Count(int64(n.v))
}

// maxDurationSeconds keeps a duration inside time.Duration (about 292 years).
const maxDurationSeconds = float64(math.MaxInt64 / int64(time.Second))

// Seconds is a known, non-negative duration from a figure in seconds.
func (n Num) Seconds() snapshot.Opt[time.Duration] {
	if !n.ok || n.v > maxDurationSeconds {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Seconds(n.v)
}

// Millis is a known, non-negative duration from a figure in milliseconds.
func (n Num) Millis() snapshot.Opt[time.Duration] {
	if !n.ok || n.v > maxDurationSeconds*1000 {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Millis(n.v)
}

// Ratio is a known, non-negative ratio as sent.
func (n Num) Ratio() snapshot.Opt[float64] {
	if !n.ok {
		return snapshot.None[float64]()
	}
	return snapshot.Ratio(n.v)
}

// Percent is a known ratio 0..1 from a figure that one API version sends as a ratio
// (0.22) and another as percent (22): above 1 it is read as percent. Exactly 1 is
// read as a ratio (100%), the only reading that is right in both schemes for a full
// rate; a real 1% shows as 100% — rare, and documented here.
func (n Num) Percent() snapshot.Opt[float64] {
	if !n.ok || n.v < 0 {
		return snapshot.None[float64]()
	}
	if n.v > 1 {
		return snapshot.Some(n.v / 100)
	}
	return snapshot.Some(n.v)
}

// Load is an agent load, a ratio or percent (snapshot.LoadRatio).
func (n Num) Load() snapshot.Opt[float64] {
	if !n.ok {
		return snapshot.None[float64]()
	}
	return snapshot.LoadRatio(n.v)
}

// Float is the raw figure when known and not negative (scores).
func (n Num) Float() snapshot.Opt[float64] {
	if !n.ok || n.v < 0 {
		return snapshot.None[float64]()
	}
	return snapshot.Some(n.v)
}

// TimeMs reads an epoch-milliseconds timestamp; zero when unknown or not positive.
func (n Num) TimeMs() time.Time {
	if !n.ok || n.v <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(n.v)).UTC()
}
