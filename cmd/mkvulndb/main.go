// Command mkvulndb builds an offline Go vulnerability database for govulncheck
// (`govulncheck -db file:///…`) from a folder of OSV entries, such as data/osv in the
// pinned golang.org/x/vulndb module. CI has no internet but the Go module proxy, so
// the database comes as a module and is indexed here; `make vulncheck` runs it.
//
// The layout is the v1 one govulncheck reads (https://go.dev/security/vuln/database#api):
// index/db.json (last modified), index/modules.json (module → vulns), index/vulns.json
// (id, modified, aliases) and ID/<id>.json (the entries, copied byte for byte).
//
// The module index leaves out each vuln's "fixed" version, which only lets govulncheck
// skip fetching entries it would then rule out by their ranges: without it every entry
// for a module is read and judged by its own ranges, so nothing can be missed.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	in := flag.String("osv", "", "folder of OSV entries (<ID>.json)")
	out := flag.String("out", "", "database folder to write (replaced)")
	flag.Parse()
	if *in == "" || *out == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: mkvulndb -osv DIR -out DIR")
		os.Exit(2)
	}
	n, err := build(*in, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkvulndb:", err)
		os.Exit(1)
	}
	fmt.Printf("mkvulndb: %d entries indexed into %s\n", n, *out)
}

// entry is the part of an OSV entry the indexes need.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		// OSV's "package" is a Go module; its "name" is the module path.
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

// build indexes every <ID>.json in in into a fresh database at out, written beside it
// first and renamed into place, so a failed run never leaves half a database.
func build(in, out string) (n int, err error) {
	files, err := filepath.Glob(filepath.Join(in, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no OSV entries (*.json) in %s", in)
	}
	tmp := out + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.MkdirAll(filepath.Join(tmp, "ID"), 0o755); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "index"), 0o755); err != nil {
		return 0, err
	}
	var last time.Time
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || filepath.Base(f) != e.ID+".json" || strings.ContainsAny(e.ID, `/\`) {
			return 0, fmt.Errorf("%s: an entry's file must be named <id>.json (id %q)", f, e.ID)
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return 0, err
		}
		if e.Modified.After(last) {
			last = e.Modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &moduleMeta{Path: a.Package.Name, Vulns: []moduleVuln{}}
				modules[a.Package.Name] = m
			}
			if !slices.ContainsFunc(m.Vulns, func(v moduleVuln) bool { return v.ID == e.ID }) {
				m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
			}
		}
	}
	mods := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		mods = append(mods, m)
	}
	slices.SortFunc(mods, func(a, b *moduleMeta) int { return strings.Compare(a.Path, b.Path) })
	err = errors.Join(
		writeJSON(filepath.Join(tmp, "index", "db.json"), map[string]time.Time{"modified": last}),
		writeJSON(filepath.Join(tmp, "index", "modules.json"), mods),
		writeJSON(filepath.Join(tmp, "index", "vulns.json"), vulns),
	)
	if err != nil {
		return 0, err
	}
	if err := os.RemoveAll(out); err != nil {
		return 0, err
	}
	return len(files), os.Rename(tmp, out)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
