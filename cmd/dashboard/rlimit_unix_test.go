//go:build unix

package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestServeRaisesOpenFileLimit: started with a low soft limit, the server raises it
// to the hard limit and logs both (and what it was).
//
// Not parallel: it changes the process's limit (parallel tests start after every
// sequential one has finished).
func TestServeRaisesOpenFileLimit(t *testing.T) {
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &orig) })
	const low = 512
	if orig.Max <= low {
		t.Fatalf("open-file hard limit %d: this test needs more than %d (ulimit -Hn)", orig.Max, low)
	}
	lowered := orig
	lowered.Cur = low
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lowered); err != nil {
		t.Fatal(err)
	}
	app := startApp(t, []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, func(string) string { return "" })
	var now syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &now); err != nil {
		t.Fatal(err)
	}
	if now.Cur != orig.Max {
		t.Errorf("soft limit after start: %d, want the hard limit %d", now.Cur, orig.Max)
	}
	want := fmt.Sprintf("soft=%d hard=%d was=%d", orig.Max, orig.Max, low)
	if log := app.stderr.String(); !strings.Contains(log, "open-file limit") || !strings.Contains(log, want) {
		t.Errorf("start-up log lacks %q:\n%s", want, log)
	}
}
