package snapshot

import (
	"encoding/json"
	"time"
)

// Opt is a value that may be unknown. Vendors omit fields, send -1 for "no data" or
// simply do not offer a metric; a wallboard must show that as "—", never as 0, so the
// model keeps "unknown" distinct from zero all the way to the page.
type Opt[T any] struct {
	v  T
	ok bool
}

// Some returns a known value.
func Some[T any](v T) Opt[T] { return Opt[T]{v: v, ok: true} }

// None returns an unknown value.
func None[T any]() Opt[T] { return Opt[T]{} }

// Get returns the value and whether it is known.
func (o Opt[T]) Get() (T, bool) { return o.v, o.ok }

// Known reports whether the value is known.
func (o Opt[T]) Known() bool { return o.ok }

// Or returns the value, or def when unknown.
func (o Opt[T]) Or(def T) T {
	if o.ok {
		return o.v
	}
	return def
}

// MarshalJSON writes null for unknown values. Durations are written as seconds
// (a float), the unit every consumer of the JSON API expects; field names say "Sec".
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.ok {
		return []byte("null"), nil
	}
	if d, isDur := any(o.v).(time.Duration); isDur {
		return json.Marshal(d.Seconds())
	}
	return json.Marshal(o.v)
}

// UnmarshalJSON is the inverse of MarshalJSON (used by replicas that receive a
// snapshot over the wire).
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = Opt[T]{}
		return nil
	}
	if _, isDur := any(o.v).(time.Duration); isDur {
		var secs float64
		if err := json.Unmarshal(b, &secs); err != nil {
			return err
		}
		o.v = any(time.Duration(secs * float64(time.Second))).(T)
		o.ok = true
		return nil
	}
	if err := json.Unmarshal(b, &o.v); err != nil {
		return err
	}
	o.ok = true
	return nil
}

// Count builds a known count from a vendor integer, treating the vendors' "no data"
// sentinel (any negative number, documented as -1) as unknown.
func Count(n int64) Opt[int64] {
	if n < 0 {
		return None[int64]()
	}
	return Some(n)
}

// Ratio builds a known ratio 0..1 from a vendor float, treating negatives as unknown.
func Ratio(r float64) Opt[float64] {
	if r < 0 {
		return None[float64]()
	}
	return Some(r)
}

// Seconds builds a known duration from a vendor figure in seconds (negative = unknown).
func Seconds(s float64) Opt[time.Duration] {
	if s < 0 {
		return None[time.Duration]()
	}
	return Some(time.Duration(s * float64(time.Second)))
}

// Millis builds a known duration from a vendor figure in milliseconds (negative = unknown).
func Millis(ms float64) Opt[time.Duration] {
	if ms < 0 {
		return None[time.Duration]()
	}
	return Some(time.Duration(ms * float64(time.Millisecond)))
}
