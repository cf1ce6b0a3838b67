package comm100

import (
	"testing"
	"time"
)

func TestParseTimeSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: "00:00:00", want: 0},
		{in: "06:53:57.0500000", want: 6*time.Hour + 53*time.Minute + 57*time.Second + 50*time.Millisecond},
		{in: "00:20:38.2649999", want: 20*time.Minute + 38*time.Second + 264999900*time.Nanosecond},
		{in: "1.02:03:04", want: 26*time.Hour + 3*time.Minute + 4*time.Second},
		{in: "1.02:03:04.5", want: 26*time.Hour + 3*time.Minute + 4*time.Second + 500*time.Millisecond},
		{in: "-00:00:01", want: -time.Second},
		{in: "9:05:00", want: 9*time.Hour + 5*time.Minute},
		{in: "", wantErr: true},
		{in: "24:00:00", wantErr: true},
		{in: "00:60:00", wantErr: true},
		{in: "00:00:60", wantErr: true},
		{in: "00:00", wantErr: true},
		{in: "00:00:00.", wantErr: true},
		{in: "00:00:00.12345678", wantErr: true},
		{in: "00:00:00.-1", wantErr: true},
		{in: "+1.00:00:00", wantErr: true},
		{in: "999999999.00:00:00", wantErr: true},
		{in: "1 00:00:00", wantErr: true},
		{in: "a.00:00:00", wantErr: true},
		{in: "00:0a:00", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseTimeSpan(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("parseTimeSpan(%q) = %v, want error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("parseTimeSpan(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzTimeSpan(f *testing.F) {
	for _, s := range []string{"00:00:00", "06:53:57.0500000", "1.02:03:04.5", "-00:00:01", "106751.23:59:59.9999999", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseTimeSpan(s)
		if err != nil {
			return
		}
		// Property: a parsed span has the sign of its text and fits the format's range.
		if (d < 0) != (len(s) > 0 && s[0] == '-') && d != 0 {
			t.Fatalf("parseTimeSpan(%q) = %v: sign does not match text", s, d)
		}
	})
}
