package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/ccdash/ccdash/"

// allowed lists, per package, the project packages its non-test code may import.
// Arrows point one way, toward snapshot; hub and web/templates import nothing of ours.
var allowed = map[string][]string{
	"internal/snapshot":   {},
	"internal/hub":        {},
	"web/templates":       {},
	"web/static":          {},
	"internal/archtest":   {},
	"internal/field":      {},
	"internal/simulator":  {"internal/snapshot"},
	"internal/poller":     {"internal/snapshot"},
	"internal/auth":       {"internal/snapshot", "internal/field"},
	"internal/views":      {"internal/snapshot", "internal/field", "internal/alerts", "internal/announce", "internal/history", "web/templates"},
	"internal/alerts":     {"internal/snapshot", "internal/field"},
	"internal/announce":   {"internal/snapshot"},
	"internal/server":     {"internal/snapshot", "internal/views", "internal/hub", "internal/auth", "internal/history", "internal/alerts", "internal/announce", "internal/screens", "internal/convs", "internal/boardstore", "web/static"},
	"internal/history":    {"internal/snapshot"},
	"internal/convs":      {"internal/snapshot"},
	"internal/bolt":       {"internal/snapshot", "internal/auth", "internal/history", "internal/alerts", "internal/announce", "internal/poller", "internal/screens", "internal/boardstore"},
	"internal/storetest":  {"internal/snapshot", "internal/auth", "internal/history", "internal/alerts", "internal/announce", "internal/poller", "internal/screens", "internal/boardstore"},
	"internal/screens":    {"internal/field"},
	"internal/boardstore": {},
	"internal/cluster":    {"internal/snapshot"},
	"internal/redistest":  {},
	"internal/redisstore": {"internal/auth", "internal/history", "internal/poller", "internal/announce", "internal/screens", "internal/boardstore", "internal/convs", "internal/snapshot", "internal/alerts"},

	// One vendor each: the core, the domain and config errors — never each other.
	"internal/poller/comm100":       {"internal/poller", "internal/snapshot", "internal/field"},
	"internal/poller/liveperson":    {"internal/poller", "internal/snapshot", "internal/field"},
	"internal/simulator/comm100":    {"internal/simulator", "internal/snapshot"},
	"internal/simulator/liveperson": {"internal/simulator", "internal/snapshot"},
}

func TestImportRules(t *testing.T) {
	root := filepath.Join("..", "..")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && (name == "node_modules" || name == "testdata" || strings.HasPrefix(name, ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "cmd/") {
			return nil // main wires everything
		}
		rules, known := allowed[rel]
		if !known {
			t.Errorf("%s: package has no import rule here; add it to allowed (and to ARCHITECTURE.md)", rel)
			return nil
		}
		seen[rel] = true
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module) {
				continue
			}
			dep := strings.TrimPrefix(p, module)
			if strings.HasPrefix(dep, "cmd/") || dep == "internal/server" {
				t.Errorf("%s imports %s: nothing imports cmd or server", path, dep)
			}
			if !slices.Contains(rules, dep) {
				t.Errorf("%s imports %s; %s may import only %v", path, dep, rel, rules)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"internal/snapshot", "internal/hub", "internal/server", "internal/views",
		"internal/poller", "internal/poller/comm100", "internal/poller/liveperson",
		"internal/simulator", "internal/simulator/comm100", "internal/simulator/liveperson"} {
		if !seen[must] {
			t.Errorf("walked no files of %s: the test is looking in the wrong place", must)
		}
	}
}
