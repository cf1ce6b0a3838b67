package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestSimFloorFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		want    string
		wantErr string
	}{
		{args: nil, want: "small"},
		{args: []string{"--sim-floor", "large"}, want: "large"},
		{args: []string{"--sim-floor", "huge"}, wantErr: `--sim-floor: must be small or large (got "huge")`},
	} {
		o, err := parseFlags(tc.args, io.Discard)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseFlags(%q) error = %v, want %q", tc.args, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("parseFlags(%q): %v", tc.args, err)
		case o.simFloor != tc.want:
			t.Errorf("parseFlags(%q).simFloor = %q, want %q", tc.args, o.simFloor, tc.want)
		}
	}
}

// TestSimIntervalFlag: --sim-interval sets both demo sources' interval (the fan-out
// probe's idle floor); below 1s is refused like a source's interval.
func TestSimIntervalFlag(t *testing.T) {
	t.Parallel()
	o, err := parseFlags([]string{"--sim-interval", "1h"}, io.Discard)
	if err != nil || o.simInterval != time.Hour {
		t.Fatalf("parseFlags(--sim-interval 1h) = %v, %v; want 1h", o.simInterval, err)
	}
	if _, err := parseFlags([]string{"--sim-interval", "200ms"}, io.Discard); err == nil || !strings.Contains(err.Error(), "--sim-interval: must be at least 1s") {
		t.Errorf("--sim-interval 200ms: error %v, want at least 1s", err)
	}
	d, err := startDemo(t.Context(), o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.sources {
		if s.Interval != time.Hour {
			t.Errorf("demo source interval %v, want 1h", s.Interval)
		}
	}
}
