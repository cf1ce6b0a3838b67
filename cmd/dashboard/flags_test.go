package main

import (
	"io"
	"strings"
	"testing"
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
