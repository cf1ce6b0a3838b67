package main

// Browser tests of the wall as a person across the room sees it: the large simulated
// floor at real TV sizes, measured from computed styles (wall_audit_test.js), and
// axe-core's accessibility rules. One app and one browser serve every screen size.

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

//go:embed wall_audit_test.js
var wallAuditJS string

type wallAudit struct {
	Problems  []string `json:"problems"`
	Texts     int      `json:"texts"`
	Figures   int      `json:"figures"`
	Skills    int      `json:"skills"`
	Breaching int      `json:"breaching"`
	AgentRows int      `json:"agentRows"`
	More      string   `json:"more"`
	Size      string   `json:"size"`
}

// axeSource is axe-core from node_modules (pinned in package-lock.json).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `make assets` (npm ci installs the pinned axe-core)", err)
	}
	return string(b)
}

func TestBrowserWallLegible(t *testing.T) {
	browser := newBrowser(t)
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 21, floor: "large"})
	// The same floor on a light board with its own accent (theme, accent).
	dir := t.TempDir()
	light := filepath.Join(dir, "light.yaml")
	if err := os.WriteFile(light, []byte("boards:\n  - id: demo\n    title: Light floor\n    theme: light\n    accent: \"#b45309\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lightApp := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 22, floor: "large", config: light, dataDir: filepath.Join(dir, "data")})
	axe := axeSource(t)
	screens := []struct {
		name    string
		w, h    int64
		size    string
		shot    string // docs/ screenshot, "" for none
		minRows int    // agent rows the screen must list
		// minSkills is the skill tiles it must show: its cells (views.wallLayouts)
		// less the note's, with two-channel skills taking two.
		minSkills int
		app       *demoApp
	}{
		{"1080p", 1920, 1080, "hd", "wall.png", 12, 6, app},
		{"4k", 3840, 2160, "uhd", "wall-4k.png", 20, 12, app},
		{"1366x768", 1366, 768, "sd", "", 8, 2, app},
		{"portrait", 1080, 1920, "portrait", "wall-portrait.png", 12, 6, app},
		{"1080p light theme", 1920, 1080, "hd", "", 12, 6, lightApp},
	}
	var hdRows int
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			tb := newTab(t, browser)
			tb.do(t, 10*time.Second, chromedp.EmulateViewport(sc.w, sc.h))
			tb.open(t, sc.app.WallURL)
			tb.waitJS(t, 60*time.Second, "the wall laid out for size "+sc.size+" with both sources healthy",
				`document.body.getAttribute('data-size') === '`+sc.size+`' && `+hasFiguresJS+` && `+sourceHealthyJS("comm100")+` && `+sourceHealthyJS("liveperson"))
			if sc.app == lightApp {
				got := evalJS[string](t, tb, `document.body.className + ' ' + getComputedStyle(document.querySelector('.wh h1'), '::before').backgroundColor`)
				if !strings.Contains(got, "theme-light") || !strings.HasSuffix(got, "rgb(180, 83, 9)") {
					t.Errorf("light board: body class and accent bar %q, want theme-light and the accent rgb(180, 83, 9)", got)
				}
			}
			var a wallAudit
			if err := json.Unmarshal([]byte(evalJS[string](t, tb, wallAuditJS)), &a); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d texts, %d figures, %d skill tiles, %d breaching figures, %d agent rows, more %q", sc.name, a.Texts, a.Figures, a.Skills, a.Breaching, a.AgentRows, a.More)
			for _, p := range a.Problems {
				t.Error(p)
			}
			if a.Skills < sc.minSkills || a.Figures < 40 {
				t.Errorf("%d skill tiles and %d figures shown, want a full wall", a.Skills, a.Figures)
			}
			if a.Breaching == 0 {
				t.Error("no breaching figure on the large floor: the glyph + word check proved nothing")
			}
			if !strings.Contains(a.More, "more skill") {
				t.Errorf("skills note %q, want \"+N more skills…\" (25 skills never fit)", a.More)
			}
			if a.AgentRows < sc.minRows {
				t.Errorf("%d agent rows, want at least %d", a.AgentRows, sc.minRows)
			}
			switch {
			case sc.app != app:
			case sc.size == "hd":
				hdRows = a.AgentRows
			case sc.size == "uhd":
				if a.AgentRows <= hdRows {
					t.Errorf("4K lists %d agents, 1080p %d: want more rows on 4K, not just bigger", a.AgentRows, hdRows)
				}
			}

			// axe-core, injected (the page's CSP allows no inline script; DevTools
			// evaluation is not subject to it).
			evalJS[bool](t, tb, axe+"\n;true")
			var res string
			ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
			defer cancel()
			res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes, e.g. ' + v.nodes[0].target.join(' ') + ')')))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe.run: %v", err)
			}
			var violations []string
			if err := json.Unmarshal([]byte(res), &violations); err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("axe: %s", v)
			}

			if sc.shot != "" {
				var shot []byte
				tb.do(t, 20*time.Second, chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
					var err error
					shot, err = chromedp.CaptureScreenshot()(ctx, tt)
					return err
				}))
				checkPNG(t, sc.name, shot, int(sc.w), int(sc.h))
				saveArtifact(t, sc.shot, shot)
			}
		})
	}
}
