package screens

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ParseEntries reads a playlist's boards as typed on the screens page, one per line:
// "board duration [HH:MM-HH:MM]", e.g. "sales 30s 08:00-18:00". Blank lines are
// skipped. Errors name the line; whether the boards exist is Validate's job.
func ParseEntries(text string) ([]Entry, error) {
	var out []Entry
	var errs []error
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(out)+len(errs) >= MaxEntries {
			return nil, fmt.Errorf("at most %d boards", MaxEntries)
		}
		e, err := parseEntry(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", i+1, err))
			continue
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func parseEntry(f []string) (Entry, error) {
	if len(f) < 2 || len(f) > 3 {
		return Entry{}, errors.New(`want "board duration [HH:MM-HH:MM]", e.g. "sales 30s 08:00-18:00"`)
	}
	d, err := time.ParseDuration(f[1])
	if err != nil {
		return Entry{}, fmt.Errorf("duration %q: want e.g. 30s or 2m", f[1])
	}
	e := Entry{Board: f[0], Duration: d}
	if len(f) == 3 {
		if e.Window, err = ParseWindow(f[2]); err != nil {
			return Entry{}, err
		}
	}
	return e, nil
}

// FormatEntries is the text ParseEntries reads back.
func FormatEntries(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s %s", e.Board, e.Duration)
		if e.Window.Set {
			b.WriteString(" " + e.Window.String())
		}
		b.WriteByte('\n')
	}
	return b.String()
}
