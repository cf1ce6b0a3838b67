package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBoardLookConfig(t *testing.T) {
	t.Parallel()
	good := `public_url: https://dash.example.com
boards:
  - id: lobby
    title: Customer Service
    order: name
    theme: light
    accent: "#ff6600"
    logo: https://dash.example.com/brand/acme.svg
    agent_thresholds: {away: 15m, back_soon: 3m, busy: -1s}
`
	b := parseBoards(t, good)[0]
	if b.Order != "name" || b.Theme != "light" || b.Accent != "#ff6600" || b.LogoURL != "/brand/acme.svg" || b.Title != "Customer Service" {
		t.Errorf("board look = order %q theme %q accent %q logo %q title %q", b.Order, b.Theme, b.Accent, b.LogoURL, b.Title)
	}
	if a := b.AgentThresholds; a.Away != 15*time.Minute || a.BackSoon != 3*time.Minute || a.Busy >= 0 {
		t.Errorf("agent thresholds = %+v", a)
	}
	for _, tc := range []struct{ yaml, key string }{
		{"order: worst", "boards[0].order"},
		{"theme: neon", "boards[0].theme"},
		{"accent: orange", "boards[0].accent"},
		{"logo: https://evil.example.net/x.png", "boards[0].logo"},
		{"logo: //evil.example.net/x.png", "boards[0].logo"},
		{"agent_thresholds: {away: 10ms}", "boards[0].agent_thresholds.away"},
	} {
		_, err := ParseConfig([]byte("boards:\n  - id: lobby\n    "+tc.yaml+"\n"), env(nil))
		if err == nil || !strings.Contains(err.Error(), " "+tc.key+": ") {
			t.Errorf("%s: error %v, want one naming %s", tc.yaml, err, tc.key)
		}
	}

	// A logo file in data_dir: checked at start-up, served by the server.
	dir := t.TempDir()
	boards := parseBoards(t, "boards:\n  - id: lobby\n    logo: acme.png\n")
	if err := readLogos(boards, dir); err == nil || !strings.Contains(err.Error(), "boards[0].logo: acme.png: not found") {
		t.Errorf("missing logo file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme.png"), []byte("png"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := readLogos(boards, dir); err != nil || boards[0].LogoFile != filepath.Join(dir, "acme.png") || boards[0].LogoURL != "/theme/lobby.logo" {
		t.Errorf("logo file: err %v, file %q, url %q", err, boards[0].LogoFile, boards[0].LogoURL)
	}
	if _, err := ParseConfig([]byte("boards:\n  - id: lobby\n    logo: ../etc/acme.png\n"), env(nil)); err == nil {
		t.Error("logo ../etc/acme.png: no error")
	}
}
