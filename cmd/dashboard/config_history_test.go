package main

import (
	"strings"
	"testing"
	"time"
)

func TestHistoryConfig(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"":                                    7 * 24 * time.Hour,
		"history: {retention: 30d}":           30 * 24 * time.Hour,
		"history: {retention: 36h}":           36 * time.Hour,
		"history: {retention: 2d, queue: 10}": 2 * 24 * time.Hour,
	} {
		c, err := ParseConfig([]byte(in), func(string) string { return "" })
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := time.Duration(c.History.Retention); got != want {
			t.Errorf("%q: retention %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"history: {retention: 1h}":   "history.retention: must be between 1d and 366d",
		"history: {retention: soon}": "not a duration (use e.g. 7d or 36h)",
		"history: {retention: -3d}":  "not a number of days",
		"history: {queue: -1}":       "history.queue: must be between 1 and 100000",
		"history: {keep: 3d}":        "keep",
	} {
		_, err := ParseConfig([]byte(in), func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want it to say %q", in, err, want)
		}
	}
}
