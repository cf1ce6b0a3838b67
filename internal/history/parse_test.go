package history

import (
	"errors"
	"testing"
	"time"
)

func TestParseAt(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 45, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"10:40":                     now.Add(-5 * time.Minute),
		"10:40:30":                  now.Add(-4*time.Minute - 30*time.Second),
		"2026-03-01T23:00:00Z":      time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC),
		"2026-03-02T11:00:00+01:00": time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
	} {
		got, err := ParseAt(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseAt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "25:00", "10:61", "11:00", "yesterday", "2026-03-02", "2027-01-01T00:00:00Z"} {
		if _, err := ParseAt(in, now); !errors.Is(err, ErrBadQuery) {
			t.Errorf("ParseAt(%q): err %v, want ErrBadQuery", in, err)
		}
	}
}

func FuzzParseAt(f *testing.F) {
	now := time.Date(2026, 3, 2, 10, 45, 0, 0, time.UTC)
	for _, s := range []string{"10:40", "10:40:30", "2026-03-01T23:00:00Z", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAt(s, now)
		if err == nil && got.After(now) {
			t.Errorf("ParseAt(%q) = %v, after now", s, got)
		}
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Errorf("ParseAt(%q): %v is not ErrBadQuery", s, err)
		}
	})
}
