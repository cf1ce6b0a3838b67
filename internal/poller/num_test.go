package poller

import (
	"encoding/json"
	"testing"
	"time"
)

// TestNumPolicy pins the one lenient-number policy both vendors share: numbers and
// numeric strings are known; null, absent, "" and any other value are unknown, and
// decoding never fails (so one odd figure never fails a whole poll).
func TestNumPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json  string
		known bool
		want  float64
	}{
		{`20`, true, 20},
		{`3.0`, true, 3},
		{`-1`, true, -1},
		{`"20"`, true, 20},
		{`" 7.5 "`, true, 7.5},
		{`1e15`, true, 1e15},
		{`null`, false, 0},
		{`""`, false, 0},
		{`"NA"`, false, 0},
		{`"N/A"`, false, 0},
		{`"-"`, false, 0},
		{`"NaN"`, false, 0},
		{`"Infinity"`, false, 0},
		{`1e16`, false, 0},
		{`-1e308`, false, 0},
		{`true`, false, 0},
		{`{"v":1}`, false, 0},
		{`[1]`, false, 0},
	}
	for _, tc := range tests {
		var v struct {
			N Num `json:"n"`
		}
		if err := json.Unmarshal([]byte(`{"n":`+tc.json+`}`), &v); err != nil {
			t.Errorf("%s: decode failed: %v (the policy never fails a decode)", tc.json, err)
			continue
		}
		got, ok := v.N.Value()
		if ok != tc.known || got != tc.want {
			t.Errorf("%s: Value() = %v, %v; want %v, %v", tc.json, got, ok, tc.want, tc.known)
		}
	}
	var absent struct {
		N Num `json:"n"`
	}
	if err := json.Unmarshal([]byte(`{}`), &absent); err != nil || absent.N.Known() {
		t.Errorf("absent: known=%v err=%v, want unknown", absent.N.Known(), err)
	}
}

// TestNumAccessors: negative figures (the vendors' -1 for "none") and durations
// beyond time.Duration are unknown, percent-or-ratio reads above 1 as percent.
func TestNumAccessors(t *testing.T) {
	t.Parallel()
	if NumOf(-1).Count().Known() || NumOf(-1).Seconds().Known() || NumOf(-1).Millis().Known() {
		t.Error("-1 should be unknown as a count or duration")
	}
	if NumOf(1e12).Seconds().Known() {
		t.Error("1e12 s overflows time.Duration and must be unknown")
	}
	if got := NumOf(2.5).Seconds().Or(0); got != 2500*time.Millisecond {
		t.Errorf("Seconds(2.5) = %v", got)
	}
	if got := NumOf(22).Percent().Or(0); got != 0.22 {
		t.Errorf("Percent(22) = %v, want 0.22", got)
	}
	if got := NumOf(0.22).Percent().Or(0); got != 0.22 {
		t.Errorf("Percent(0.22) = %v, want 0.22", got)
	}
	if got := (Num{}).Or(NumOf(3)).Count().Or(0); got != 3 {
		t.Errorf("Or fallback = %d, want 3", got)
	}
}

// FuzzNum: no input makes a Num fail to decode, panic, or come out known and out of
// bounds.
func FuzzNum(f *testing.F) {
	for _, s := range []string{`1`, `"2"`, `null`, `"NA"`, `1e308`, `"0x1p-2"`, `{}`, `-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var n Num
		if err := n.UnmarshalJSON(b); err != nil {
			t.Fatalf("UnmarshalJSON(%q) = %v", b, err)
		}
		if v, ok := n.Value(); ok && (v != v || v > maxNum || v < -maxNum) {
			t.Fatalf("%q: known out-of-bounds %v", b, v)
		}
		if d, ok := n.Seconds().Get(); ok && d < 0 {
			t.Fatalf("%q: negative duration %v", b, d)
		}
	})
}
