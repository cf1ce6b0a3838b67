package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseCounts(t *testing.T) {
	got, err := parseCounts("1000, 5000,10000")
	if err != nil || len(got) != 3 || got[0] != 1000 || got[2] != 10000 {
		t.Fatalf("parseCounts: %v, %v", got, err)
	}
	for _, bad := range []string{"", "1k", "0", "100,,200", "-5"} {
		if _, err := parseCounts(bad); err == nil {
			t.Errorf("parseCounts(%q): no error", bad)
		}
	}
}

// TestPrintTable: one Markdown row per socket count, figures in the columns the
// README's table has.
func TestPrintTable(t *testing.T) {
	r := tableRow{sockets: 10000,
		ccdash:   result{spreadP50: 20 * time.Millisecond, spreadP99: 41500 * time.Microsecond, msgP50: 812, rssPerSocket: 24 * 1024, cpuPerMsg: 29 * time.Microsecond},
		bare:     result{spreadP50: 19 * time.Millisecond, spreadP99: 45 * time.Millisecond, msgP50: 1024, rssPerSocket: 45 * 1024, cpuPerMsg: 24 * time.Microsecond},
		ccIdle:   result{cpuPerSocketPerSecond: 800 * time.Nanosecond},
		bareIdle: result{cpuPerSocketPerSecond: 10 * time.Nanosecond},
	}
	var b strings.Builder
	printTable(&b, []tableRow{r}, time.Minute, 30*time.Second)
	want := "| 10,000 | 20.0 / 41.5 ms | 19.0 / 45.0 ms | 812 / 1024 B | 24 / 45 KB | 29 / 24 µs | 0.80 / 0.01 µs |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("table:\n%s\nwant the row %s", b.String(), want)
	}
}

// FuzzParseCounts: any --table value gives counts ≥ 1 or an error, never a panic.
func FuzzParseCounts(f *testing.F) {
	for _, s := range []string{"1000,5000,10000", "", "1k", " 7 ,8", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		counts, err := parseCounts(s)
		for _, n := range counts {
			if err == nil && n < 1 {
				t.Errorf("parseCounts(%q) gave %d", s, n)
			}
		}
	})
}
