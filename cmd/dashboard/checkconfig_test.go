package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const examplePath = "../../ccdash.example.yaml"

// TestExampleConfigPasses: ccdash.example.yaml (what the package installs as
// /etc/ccdash/ccdash.yaml) passes check-config as it is.
func TestExampleConfigPasses(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	dir := filepath.Join(t.TempDir(), "state")
	if err := runCheckConfig(t.Context(), []string{"--data-dir", dir, examplePath}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("check-config on the example: %v", err)
	}
	if !strings.Contains(out.String(), "OK") || !strings.Contains(out.String(), "will be created") {
		t.Errorf("output %q: want OK and what happens to the missing data_dir", out.String())
	}
}

// exampleUncommented is the example with its "#:" lines made live (and the empty
// lists they replace dropped): the file showing every key.
func exampleUncommented(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	empty := regexp.MustCompile(`^\s*(sources|users|rules|webhooks|playlists): \[\]$`)
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		if empty.MatchString(line) {
			continue
		}
		if i := strings.Index(line, "#: "); i >= 0 && strings.TrimSpace(line[:i]) == "" {
			line = line[:i] + line[i+3:]
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

// TestExampleConfigHasEveryKey: every key the config accepts appears in the example,
// live or as a "#:" line, and the example with all of them live is valid too. A key
// added without its line in the example fails here.
func TestExampleConfigHasEveryKey(t *testing.T) {
	t.Parallel()
	full := exampleUncommented(t)
	getenv := env(map[string]string{"COMM100_API_KEY": "k", "LP_APP_KEY": "a", "LP_SECRET": "b",
		"LP_ACCESS_TOKEN": "c", "LP_ACCESS_TOKEN_SECRET": "d", "ALICE_HASH": testHash, "CCDASH_HOOK_SECRET": "h"})
	if _, err := ParseConfig(full, getenv); err != nil {
		t.Fatalf("the example with every key live is invalid: %v", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(full, &doc); err != nil {
		t.Fatal(err)
	}
	inFile := map[string]bool{}
	nodeKeys(doc.Content[0], "", inFile)
	var want []string
	typeKeys(reflect.TypeFor[Config](), "", &want)
	for _, k := range want {
		if !inFile[k] {
			t.Errorf("ccdash.example.yaml lacks %s: add it with its default and a comment", k)
		}
	}
	if len(want) < 60 {
		t.Errorf("found only %d keys in Config: the walk is broken", len(want))
	}
}

// nodeKeys collects a YAML tree's key paths, lists written as [].
func nodeKeys(n *yaml.Node, prefix string, out map[string]bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := strings.TrimPrefix(prefix+"."+n.Content[i].Value, ".")
			out[k] = true
			nodeKeys(n.Content[i+1], k, out)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			nodeKeys(c, prefix+"[]", out)
		}
	}
}

// typeKeys collects the YAML key paths a config type accepts; maps are free-form
// (hosts, overrides) and end the walk.
func typeKeys(t reflect.Type, prefix string, out *[]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.Name() == "Duration" || t.Name() == "Days" {
		return
	}
	for f := range t.Fields() {
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		k := strings.TrimPrefix(prefix+"."+tag, ".")
		*out = append(*out, k)
		typeKeys(f.Type, k, out)
	}
}

// TestCheckConfigSameMessagesAsStartup: check-config refuses a bad file with exactly
// the lines start-up refuses it with, every problem on its own line.
func TestCheckConfigSameMessagesAsStartup(t *testing.T) {
	t.Parallel()
	for name, y := range map[string]string{
		"one":   "boards:\n  - id: Sales\n",
		"three": "log_level: loud\nboards:\n  - id: a\n    thresholds: {waiting_warn: 9, waiting_crit: 4}\nusers:\n  - {name: a, role: root, password_hash: '" + testHash + "'}\n",
		"yaml":  "sources: [\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "ccdash.yaml")
			if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
				t.Fatal(err)
			}
			checkErr := runCheckConfig(t.Context(), []string{path}, env(nil), io.Discard, io.Discard)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			startErr := run(ctx, []string{"--addr", "127.0.0.1:0", "--config", path}, env(nil), strings.NewReader(""), io.Discard, io.Discard)
			if checkErr == nil || startErr == nil {
				t.Fatalf("check-config: %v; start-up: %v; want both to refuse", checkErr, startErr)
			}
			if checkErr.Error() != startErr.Error() {
				t.Errorf("check-config says\n%s\nstart-up says\n%s", checkErr, startErr)
			}
			if got := len(strings.Split(checkErr.Error(), "\n")); name == "three" && got != 3 {
				t.Errorf("three problems: got %d lines %q, want one line each", got, checkErr)
			}
		})
	}
}

// TestCheckConfigDataDir: a data_dir others can read is refused naming data_dir; an
// owner-only one passes.
func TestCheckConfigDataDir(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	err := runCheckConfig(t.Context(), []string{"--data-dir", dir, path}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "config: data_dir: ") || !strings.Contains(err.Error(), "chmod 700") {
		t.Fatalf("mode 0755: got %v, want a data_dir error saying chmod 700", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runCheckConfig(t.Context(), []string{"--data-dir", dir, path}, env(nil), &out, io.Discard); err != nil {
		t.Fatalf("mode 0700: %v", err)
	}
	if !slices.Contains(strings.Fields(out.String()), "OK") {
		t.Errorf("output %q: want OK", out.String())
	}
}
