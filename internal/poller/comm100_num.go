package poller

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// c100Num is a number from a Comm100 payload. The vendor documents some figures as
// int in one place and string in another (intradayChats), and v3 sends counts as
// 3.0, so a number, a numeric string and null are all accepted; null, "" and absent
// leave it unknown.
type c100Num struct {
	v  float64
	ok bool
}

func (n *c100Num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*n = c100Num{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = c100Num{}
			return nil
		}
		b = []byte(s)
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("not a number: %.20q", b)
	}
	*n = c100Num{v: v, ok: true}
	return nil
}

// or returns n when known, else alt: the helper that makes two documented spellings
// of one field (ongoingChats/onGoingChats) one value.
func (n c100Num) or(alt c100Num) c100Num {
	if n.ok {
		return n
	}
	return alt
}

// count is a known count when the vendor sent a non-negative number. Fractions are
// truncated (v3 sends 3.0); values beyond int64 are unknown.
func (n c100Num) count() snapshot.Opt[int64] {
	if !n.ok || n.v < 0 || n.v >= math.MaxInt64 {
		return snapshot.None[int64]()
	}
	return snapshot.Count(int64(n.v))
}

// seconds is a known duration from a figure in seconds (Comm100's unit for waits and
// chat times).
func (n c100Num) seconds() snapshot.Opt[time.Duration] {
	// Beyond ~290 years time.Duration overflows: such a value is garbage, not data.
	if !n.ok || n.v > math.MaxInt64/float64(time.Second) {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Seconds(n.v)
}

// rate is a known ratio 0..1. Comm100 documents rates as double in one version
// (0.22) and int in another (22): above 1 the figure is read as percent. Exactly 1 is
// read as a ratio (100%), the only reading that is right in both schemes for a full
// rate; a real 1% would show as 100% — rare and documented here.
func (n c100Num) rate() snapshot.Opt[float64] {
	if !n.ok || n.v < 0 {
		return snapshot.None[float64]()
	}
	if n.v > 1 {
		return snapshot.Some(n.v / 100)
	}
	return snapshot.Some(n.v)
}

// float is the raw figure when known and not negative (scores).
func (n c100Num) float() snapshot.Opt[float64] {
	if !n.ok || n.v < 0 {
		return snapshot.None[float64]()
	}
	return snapshot.Some(n.v)
}
