package main

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// editorSession signs in to app as its admin and returns the client and a CSRF token.
func editorSession(t *testing.T, app *demoApp) (*http.Client, string) {
	t.Helper()
	c := browser(t)
	signIn(t, c, app.Base, app.AdminUser, app.AdminPassword)
	_, page := fetch(t, c, "GET", app.Base+"/admin/boards/new", nil)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("/admin/boards/new without a CSRF token: %.500s", page)
	}
	return c, m[1]
}

// TestBoardEditorSameMessagesAsConfig: what the editor refuses, it refuses with the
// very lines start-up prints for the same board in the config file.
func TestBoardEditorSameMessagesAsConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte("boards:\n  - {id: floor, public: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	app := startDemoApp(t, appConfig{addr: "127.0.0.1:0", seed: 31, config: path, dataDir: filepath.Join(dir, "data")})
	c, tok := editorSession(t, app)
	for _, tc := range []struct {
		name  string
		form  url.Values
		entry string // the same board as a config file's boards[0]
	}{
		{"inverted thresholds", url.Values{"id": {"sales"}, "thresholds.waiting_warn": {"9"}, "thresholds.waiting_crit": {"4"}},
			"{id: sales, thresholds: {waiting_warn: 9, waiting_crit: 4}}"},
		{"theme", url.Values{"id": {"sales"}, "theme": {"blue"}}, "{id: sales, theme: blue}"},
		{"skill thresholds", url.Values{"id": {"sales"}, "thresholds.waiting_crit": {"20"}, "skill_thresholds.comm100:x.waiting_warn": {"30"}, "skill_thresholds.VIP.service_level_crit": {"2"}},
			`{id: sales, thresholds: {waiting_crit: 20}, skill_thresholds: {"comm100:x": {waiting_warn: 30}, VIP: {service_level_crit: 2}}}`},
		{"accent", url.Values{"id": {"sales"}, "accent": {"red"}}, "{id: sales, accent: red}"},
		{"id", url.Values{"id": {"Sales Floor"}}, "{id: Sales Floor}"},
		{"missing id", url.Values{"title": {"No id"}}, "{title: No id}"},
		{"service level", url.Values{"id": {"sales"}, "thresholds.service_level_warn": {"150"}}, "{id: sales, thresholds: {service_level_warn: 150}}"},
		{"tiles", url.Values{"id": {"sales"}, "tile.agents": {"1"}, "skills": {"comm100:nope"}, "order": {"config"}, "thresholds.stale_after": {"-5s"}},
			"{id: sales, tiles: [agents], skills: [comm100:nope], order: config, thresholds: {stale_after: -5s}}"},
	} {
		_, startup := ParseConfig([]byte("boards:\n  - "+tc.entry+"\n"), func(string) string { return "" })
		if startup == nil {
			t.Fatalf("%s: the config accepts %s; the case tests nothing", tc.name, tc.entry)
		}
		tc.form.Set("csrf_token", tok)
		code, body := fetch(t, c, "POST", app.Base+"/admin/boards", tc.form)
		body = html.UnescapeString(body)
		if code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, code)
		}
		for _, line := range strings.Split(startup.Error(), "\n") {
			if !strings.Contains(body, "<li data-testid=\"board-form-problem\">"+line+"</li>") {
				t.Errorf("%s: the editor does not show start-up's line\n  %s\npage problems:\n%s", tc.name, line, grepProblems(body))
			}
		}
	}
}

func grepProblems(body string) string {
	var out []string
	for _, l := range strings.SplitAfter(body, "</li>") {
		if i := strings.Index(l, `board-form-problem">`); i >= 0 {
			out = append(out, "  "+strings.TrimSuffix(l[i+len(`board-form-problem">`):], "</li>"))
		}
	}
	return strings.Join(out, "\n")
}

// TestEditedBoardsSurviveRestartAndReload: an edited board is served again after a
// restart (loaded at start-up) and after a config reload (config boards plus
// edited ones), and ${NAME} in a form is never expanded from the environment.
func TestEditedBoardsSurviveRestartAndReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte("boards:\n  - {id: floor, public: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := appConfig{addr: "127.0.0.1:0", seed: 32, config: path, dataDir: filepath.Join(dir, "data")}
	app := startDemoApp(t, cfg)
	c, tok := editorSession(t, app)
	code, body := fetch(t, c, "POST", app.Base+"/admin/boards", url.Values{"csrf_token": {tok}, "id": {"sales"}, "title": {"Sales ${HOME}"}, "public": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "${HOME}") {
		t.Errorf("a ${NAME} reference: %d, want it refused, not expanded:\n%s", code, grepProblems(html.UnescapeString(body)))
	}
	code, body = fetch(t, c, "POST", app.Base+"/admin/boards", url.Values{"csrf_token": {tok}, "id": {"sales"}, "title": {"Sales"}, "public": {"1"},
		"skill_thresholds.Sales.waiting_warn": {"1"}, "skill_thresholds.Sales.longest_wait_crit": {"5m"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", code, grepProblems(html.UnescapeString(body)))
	}
	served := func(when string) {
		t.Helper()
		code, body := fetch(t, browser(t), "GET", app.Base+"/wall/sales", nil)
		if code != http.StatusOK || !strings.Contains(body, "<h1") || !strings.Contains(body, "Sales") {
			t.Errorf("%s: /wall/sales = %d, want the edited board", when, code)
		}
	}
	served("after create")
	// The stored YAML (parsed by the config's code) gives the form its per-skill values back.
	if _, form := fetch(t, c, "GET", app.Base+"/admin/boards/sales/edit", nil); !strings.Contains(form, `name="skill_thresholds.Sales.longest_wait_crit" size="6" value="5m"`) {
		t.Errorf("the edit form lost Sales' skill threshold")
	}
	_, page := fetch(t, c, "GET", app.Base+"/admin/config", nil)
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("/admin/config without a CSRF token")
	}
	if code, body := fetch(t, c, "POST", app.Base+"/admin/config/reload", url.Values{"csrf_token": {m[1]}}); code >= 400 {
		t.Fatalf("reload: %d %.300s", code, body)
	}
	served("after a reload")
	app.stop(t)
	app = startDemoApp(t, cfg)
	served("after a restart")
}

// FuzzEditedBoardParser: any stored text is either refused with an error or is a
// board that passes views.Board.Validate; nothing panics.
func FuzzEditedBoardParser(f *testing.F) {
	f.Add([]byte("id: sales\ntitle: \"Sales\"\nthresholds:\n  waiting_warn: 4\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("id: x\nalerts: {rules: []}\n"))
	f.Add([]byte("id: x\ntitle: ${HOME}\n"))
	f.Add([]byte("id: x\nskill_thresholds: {\"comm100:a\": {waiting_warn: 9}, VIP: {stale_after: 5s}}\n"))
	parse := editedBoardParser("", f.TempDir(), func() time.Duration { return 45 * time.Second })
	f.Fuzz(func(t *testing.T, src []byte) {
		b, err := parse(src)
		if err == nil {
			if verr := b.Validate(); verr != nil {
				t.Fatalf("parsed a board that does not validate: %v\n%s", verr, src)
			}
		}
	})
}
