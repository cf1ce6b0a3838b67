package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets a test re-run this test binary as the real `dashboard` command (main,
// os.Exit and all) by setting CCDASH_BE_MAIN, so exit codes are tested as an operator
// or a service manager sees them.
func TestMain(m *testing.M) {
	if os.Getenv("CCDASH_BE_MAIN") == "1" {
		os.Args = append([]string{"dashboard"}, strings.Fields(os.Getenv("CCDASH_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestBadConfigExitsNonZeroWithOneLine: a bad config stops start-up with exit code 1 and
// one line on stderr that names the key, before anything listens or polls.
func TestBadConfigExitsNonZeroWithOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, yaml, wantKey string }{
		{"unknown kind", "sources:\n  - kind: genesys\n", "sources[0].kind"},
		{"missing credentials", "sources:\n  - kind: comm100\n    comm100: {base_url: 'https://api15.comm100.io/v4', site_id: 1, email: a@b.c}\n", "sources[0].comm100.api_key"},
		{"bad url", "sources:\n  - kind: comm100\n    comm100: {base_url: 'api15', site_id: 1, email: a@b.c, api_key: k}\n", "sources[0].comm100.base_url"},
		{"interval below 1s", "sources:\n  - kind: comm100\n    interval: 200ms\n    comm100: {base_url: 'https://x', site_id: 1, email: a@b.c, api_key: k}\n", "sources[0].interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "ccdash.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "CCDASH_BE_MAIN=1", "CCDASH_ARGS=--addr 127.0.0.1:0 --config "+path)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("got %v, want exit code 1 (stderr %q)", err, stderr.String())
			}
			msg := strings.TrimRight(stderr.String(), "\n")
			if strings.Contains(msg, "\n") || !strings.Contains(msg, tt.wantKey) || !strings.HasPrefix(msg, "dashboard: config: ") {
				t.Errorf("stderr %q: want one line naming %s", msg, tt.wantKey)
			}
		})
	}
}
