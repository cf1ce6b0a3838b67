package screens

import (
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAtRotatesByWallClock(t *testing.T) {
	t.Parallel()
	p := Playlist{ID: "floor", Entries: []Entry{{Board: "a", Duration: 10 * time.Second}, {Board: "b", Duration: 20 * time.Second}}}
	base := time.Unix(0, 0).Add(1000 * 30 * time.Second) // a whole number of 30 s turns
	tests := []struct {
		off  time.Duration
		want string
	}{{0, "a"}, {9 * time.Second, "a"}, {10 * time.Second, "b"}, {29 * time.Second, "b"}, {30 * time.Second, "a"}, {45 * time.Second, "b"}}
	for _, tt := range tests {
		if got := p.At(base.Add(tt.off), nil); got != tt.want {
			t.Errorf("At(+%s) = %q, want %q", tt.off, got, tt.want)
		}
	}
	// A copy of the playlist (another screen, a restarted server) agrees.
	again := Playlist{ID: "floor", Entries: append([]Entry(nil), p.Entries...)}
	for off := time.Duration(0); off < time.Minute; off += 3 * time.Second {
		if p.At(base.Add(off), nil) != again.At(base.Add(off), nil) {
			t.Errorf("a copy disagrees at +%s", off)
		}
	}
}

func TestAtWindowsAndPins(t *testing.T) {
	t.Parallel()
	day, _ := ParseWindow("08:00-18:00")
	night, _ := ParseWindow("22:00-06:00")
	p := Playlist{ID: "p", Entries: []Entry{
		{Board: "sales", Duration: time.Minute, Window: day},
		{Board: "night", Duration: time.Minute, Window: night},
	}}
	if got := p.At(at("2026-03-02 12:00:30"), nil); got != "sales" {
		t.Errorf("noon: %q, want sales (the only open entry)", got)
	}
	if got := p.At(at("2026-03-02 23:10:00"), nil); got != "night" {
		t.Errorf("23:10: %q, want night", got)
	}
	if got := p.At(at("2026-03-02 05:59:00"), nil); got != "night" {
		t.Errorf("05:59: %q, want night (wraps past midnight)", got)
	}
	if got := p.At(at("2026-03-02 20:00:00"), nil); got != "sales" {
		t.Errorf("20:00, nothing open: %q, want the first entry", got)
	}
	inAlert := func(b string) bool { return b == "night" }
	if got := p.At(at("2026-03-02 12:00:30"), inAlert); got != "sales" {
		t.Errorf("alert without pin_on_alert moved the screen to %q", got)
	}
	p.PinOnAlert = true
	if got := p.At(at("2026-03-02 12:00:30"), inAlert); got != "night" {
		t.Errorf("pinned: %q, want the board in alert", got)
	}
}

func TestParseWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, err string
	}{
		{in: "08:00-18:00", want: "08:00-18:00"},
		{in: "22:30 - 06:00", want: "22:30-06:00"},
		{in: "18:00-24:00", want: "18:00-00:00"},
		{in: "", want: ""},
		{in: "8-18", err: "want HH:MM-HH:MM"},
		{in: "08:00-08:00", err: "empty"},
		{in: "25:00-08:00", err: "want HH:MM-HH:MM"},
		{in: "24:30-08:00", err: "want HH:MM-HH:MM"},
	}
	for _, tt := range tests {
		w, err := ParseWindow(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseWindow(%q) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || w.String() != tt.want {
			t.Errorf("ParseWindow(%q) = %q, %v; want %q", tt.in, w, err, tt.want)
		}
	}
}

func TestValidateNamesKeys(t *testing.T) {
	t.Parallel()
	known := func(b string) bool { return b == "sales" }
	p := Playlist{ID: "Bad Id", Entries: []Entry{{Board: "sales", Duration: time.Second}, {Board: "nope", Duration: time.Minute}}}
	var got []string
	for _, fe := range field.All(p.Validate(known)) {
		got = append(got, fe.Error())
	}
	want := []string{
		`id: "Bad Id": use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit`,
		"boards[0].duration: must be at least 5s (got 1s)",
		`boards[1].board: "nope": no board has this id`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := (Playlist{ID: "ok", Entries: []Entry{{Board: "sales", Duration: 5 * time.Second}}}).Validate(known); err != nil {
		t.Errorf("valid playlist: %v", err)
	}
}

func TestParseEntries(t *testing.T) {
	t.Parallel()
	es, err := ParseEntries("sales 30s 08:00-18:00\n\n  support 2m\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := FormatEntries(es), "sales 30s 08:00-18:00\nsupport 2m0s\n"; got != want {
		t.Errorf("FormatEntries = %q, want %q", got, want)
	}
	if _, err := ParseEntries("sales\nsupport soon"); err == nil || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ParseEntries(bad) = %v, want both lines named", err)
	}
}

func FuzzParseEntries(f *testing.F) {
	f.Add("sales 30s 08:00-18:00\nsupport 2m")
	f.Add("a 1h 22:00-06:00")
	f.Add("x y z w")
	f.Fuzz(func(t *testing.T, text string) {
		es, err := ParseEntries(text)
		if err != nil {
			return
		}
		again, err := ParseEntries(FormatEntries(es))
		if err != nil || len(again) != len(es) {
			t.Fatalf("round trip of %q: %v, %d entries want %d", text, err, len(again), len(es))
		}
		for i := range es {
			if again[i] != es[i] {
				t.Fatalf("round trip entry %d = %+v, want %+v", i, again[i], es[i])
			}
		}
	})
}
