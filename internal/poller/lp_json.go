package poller

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpDecode decodes a LivePerson answer. Unknown fields are ignored (vendors add
// fields); every number goes through lpNum, so a string or null where a number was
// documented is "unknown", not a failed poll.
func lpDecode(b []byte, v any) error { return json.Unmarshal(b, v) }

// lpNum is a vendor number that may be absent, null, a numeric string ("20") or a
// placeholder string ("NA"); only real numbers are known. Negative values stay as
// sent: the snapshot constructors (Count, Millis, ...) turn the documented -1 into
// unknown.
type lpNum struct {
	v  float64
	ok bool
}

func (n *lpNum) UnmarshalJSON(b []byte) error {
	*n = lpNum{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == 'n' || b[0] == '{' || b[0] == '[' || b[0] == 't' || b[0] == 'f' {
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		s = strings.TrimSpace(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f || f > 1e15 || f < -1e15 { // NaN, or beyond any sane figure
		return nil
	}
	n.v, n.ok = f, true
	return nil
}

// or returns the first known of n and alts (the documented alternative spellings).
func (n lpNum) or(alts ...lpNum) lpNum {
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

func (n lpNum) count() snapshot.Opt[int64] {
	if !n.ok {
		return snapshot.None[int64]()
	}
	return snapshot.Count(int64(n.v))
}

func (n lpNum) millis() snapshot.Opt[time.Duration] {
	if !n.ok {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Millis(n.v)
}

func (n lpNum) seconds() snapshot.Opt[time.Duration] {
	if !n.ok {
		return snapshot.None[time.Duration]()
	}
	return snapshot.Seconds(n.v)
}

func (n lpNum) ratio() snapshot.Opt[float64] {
	if !n.ok {
		return snapshot.None[float64]()
	}
	return snapshot.Ratio(n.v)
}

func (n lpNum) load() snapshot.Opt[float64] {
	if !n.ok {
		return snapshot.None[float64]()
	}
	return snapshot.LoadRatio(n.v)
}

// timeMs reads an epoch-milliseconds timestamp; zero when unknown or implausible.
func (n lpNum) timeMs() time.Time {
	if !n.ok || n.v <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(n.v)).UTC()
}

// lpID is an id LivePerson sends as a number in one method and a string in another
// (skillId 2434921912 vs "2"). It is kept as the decimal string.
type lpID string

func (id *lpID) UnmarshalJSON(b []byte) error {
	*id = ""
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == 'n' {
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		*id = lpID(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return nil
	}
	if i, err := n.Int64(); err == nil {
		*id = lpID(strconv.FormatInt(i, 10))
	}
	return nil
}

// known reports whether the id names something: LivePerson writes "NA", 0 or -1
// where there is none (agentCurrentStatusReasonId "NA" in the KMM example).
func (id lpID) known() bool { return id != "" && id != "NA" && id != "-1" && id != "0" }
