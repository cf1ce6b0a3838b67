package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionPrintsWhatMakeBuildStamped: the binary built with the Makefile's own
// -ldflags (make ldflags) prints that version, commit and date.
func TestVersionPrintsWhatMakeBuildStamped(t *testing.T) {
	t.Parallel()
	flags, err := exec.Command("make", "-s", "-C", "../..", "ldflags",
		"VERSION=9.8.7", "COMMIT=0123456789ab", "BUILD_DATE=2026-12-01T20:00:00Z").Output()
	if err != nil {
		t.Fatalf("make ldflags: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "dashboard")
	build := exec.Command("go", "build", "-ldflags", strings.TrimSpace(string(flags)), "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("dashboard version: %v", err)
	}
	if got, want := strings.TrimSpace(string(out)), "ccdash 9.8.7 (commit 0123456789ab, built 2026-12-01T20:00:00Z)"; got != want {
		t.Errorf("dashboard version printed %q, want %q", got, want)
	}
}
