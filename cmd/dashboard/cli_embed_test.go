package main

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/views"
)

// TestEmbedURLCmd: `dashboard embed-url` prints links on public_url and refuses a
// tile the board does not show or an id no skill tile can have, naming --tile.
func TestEmbedURLCmd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ccdash.yaml")
	yaml := `public_url: https://dash.example.com/cc/
boards:
  - id: lobby
    title: Lobby
    tiles: [queue, skills]
`
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, tile string
		wantPath   string // "" = refused
		wantErr    string
	}{
		{"whole board", "", "/cc/embed/lobby", ""},
		{"queue tile", "queue", "/cc/embed/lobby/tiles/queue", ""},
		{"demo skill tile", views.SkillTileID("comm100:42"), "/cc/embed/lobby/tiles/" + views.SkillTileID("comm100:42"), ""},
		{"tile the board leaves out", "agents", "", `--tile: unknown tile: board "lobby" does not show the agents tile`},
		{"unknown tile id", "tile-queue", "", `--tile: unknown tile "tile-queue"`},
		{"skill of no source", views.SkillTileID("zendesk:1"), "", `no source "zendesk"`},
	} {
		t.Run(tc.name, func(t *testing.T) { // sequential: the first run makes the embed key
			var out, errOut bytes.Buffer
			args := []string{"--config", cfg, "--data-dir", filepath.Join(dir, "data"), "--board", "lobby"}
			if tc.tile != "" {
				args = append(args, "--tile", tc.tile)
			}
			err := runEmbedURL(args, func(string) string { return "" }, time.Now(), &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("embed-url --tile %q: err = %v, want one containing %q", tc.tile, err, tc.wantErr)
				}
				if out.Len() != 0 {
					t.Errorf("printed %q although refused", out.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("embed-url --tile %q: %v", tc.tile, err)
			}
			u, err := url.Parse(strings.TrimSpace(out.String()))
			if err != nil {
				t.Fatal(err)
			}
			if u.Scheme != "https" || u.Host != "dash.example.com" || u.Path != tc.wantPath || u.Query().Get("token") == "" {
				t.Errorf("printed %q, want https://dash.example.com%s?token=…", out.String(), tc.wantPath)
			}
		})
	}
}
