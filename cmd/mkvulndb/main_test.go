package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestBuildIndexesEveryModule: each module an entry affects lists it (GO-2026-6617
// affects the standard library and golang.org/x/net), entries are copied under ID/,
// and db.json holds the latest modification time.
func TestBuildIndexesEveryModule(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "db")
	n, err := build("testdata/osv", out)
	if err != nil || n != 2 {
		t.Fatalf("build: %d entries, %v", n, err)
	}
	var mods []moduleMeta
	readJSON(t, filepath.Join(out, "index", "modules.json"), &mods)
	got := map[string][]string{}
	for _, m := range mods {
		for _, v := range m.Vulns {
			got[m.Path] = append(got[m.Path], v.ID)
		}
	}
	for mod, id := range map[string]string{"stdlib": "GO-2026-6617", "golang.org/x/net": "GO-2026-6617", "golang.org/x/text": "GO-2021-0113"} {
		if !slices.Contains(got[mod], id) {
			t.Errorf("modules.json: %s lists %v, want %s", mod, got[mod], id)
		}
	}
	if len(got["stdlib"]) != 1 {
		t.Errorf("stdlib lists %v: an entry with two ranges for one module must appear once", got["stdlib"])
	}
	orig, _ := os.ReadFile("testdata/osv/GO-2021-0113.json")
	copied, err := os.ReadFile(filepath.Join(out, "ID", "GO-2021-0113.json"))
	if err != nil || string(copied) != string(orig) {
		t.Errorf("ID/GO-2021-0113.json is not the entry byte for byte (%v)", err)
	}
	var db struct{ Modified string }
	readJSON(t, filepath.Join(out, "index", "db.json"), &db)
	if db.Modified == "" {
		t.Error("db.json has no modified time")
	}
}

// TestBuildRefusesMisnamedEntry: govulncheck finds an entry by its file name, so a
// file not named <id>.json would make a vulnerability invisible.
func TestBuildRefusesMisnamedEntry(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	raw, _ := os.ReadFile("testdata/osv/GO-2021-0113.json")
	if err := os.WriteFile(filepath.Join(in, "other.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "db")
	if _, err := build(in, out); err == nil {
		t.Fatal("build accepted an entry whose file name is not its id")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s behind", out)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
