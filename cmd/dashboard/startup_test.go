package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
)

// serveErr runs serve and returns its error, which a refused start-up returns at once.
func serveErr(t *testing.T, args ...string) error {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ready := func(string) { cancel() } // started after all: stop it, the test fails below
	return serve(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, io.Discard, io.Discard, ready)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is cut by the umask
		t.Fatal(err)
	}
}

// TestStartRefusesStateOthersCanWrite: a data_dir every user can write, or an embed
// key or state file others can write, stops start-up with what to do; before, they
// were used without a word.
func TestStartRefusesStateOthersCanWrite(t *testing.T) {
	t.Parallel()
	key := auth.EncodeSigningKey(auth.NewSigningKey()) + "\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"world-writable data_dir", func(t *testing.T, dir string) {
			if err := os.Chmod(dir, 0o777); err != nil {
				t.Fatal(err)
			}
		}, "data_dir"},
		{"group-writable embed.key", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, embedKeyFile), key, 0o664)
		}, embedKeyFile},
		{"world-writable csrf.key", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, csrfKeyFile), key, 0o606)
		}, csrfKeyFile},
		{"world-writable state file", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, stateFile), "", 0o666)
		}, stateFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tt.setup(t, dir)
			err := serveErr(t, "--data-dir", dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "writable by other users") {
				t.Fatalf("serve = %v; want a refusal naming %s as writable by other users", err, tt.want)
			}
		})
	}
	// Owner-only is fine.
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, embedKeyFile), key, 0o600)
	app := startApp(t, []string{"--addr", "127.0.0.1:0", "--data-dir", dir}, func(string) string { return "" })
	if code, _ := fetch(t, browser(t), "GET", app.base+"/healthz", nil); code != http.StatusOK {
		t.Errorf("owner-only data_dir: /healthz = %d", code)
	}
}

// TestConfigWithSecretsReadableByOthersWarns: a config file other users can read that
// holds secrets gets a warning naming the keys (not the values); an owner-only one, or
// one whose secrets are ${ENV} references, gets none.
func TestConfigWithSecretsReadableByOthersWarns(t *testing.T) {
	t.Parallel()
	secret := "bm90LWEtcmVhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZmc" // base64url of 32 bytes
	tests := []struct {
		name, yaml string
		mode       os.FileMode
		warn       bool
	}{
		{"0644 with a literal embed_key", "embed_key: " + secret + "\n", 0o644, true},
		{"0600 with a literal embed_key", "embed_key: " + secret + "\n", 0o600, false},
		{"0644 with an env reference", "embed_key: ${EMBED_KEY}\n", 0o644, false},
		{"0644 without secrets", "log_level: info\n", 0o644, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "ccdash.yaml")
			writeFile(t, path, "data_dir: "+t.TempDir()+"\n"+tt.yaml, tt.mode)
			env := map[string]string{"EMBED_KEY": secret}
			app := startApp(t, []string{"--config", path, "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] })
			if code, _ := fetch(t, browser(t), "GET", app.base+"/healthz", nil); code != http.StatusOK {
				t.Fatalf("/healthz = %d: a warning must not stop the server", code)
			}
			logs := app.stderr.String()
			warned := strings.Contains(logs, "readable by other users")
			if warned != tt.warn {
				t.Errorf("warned = %t, want %t; logs:\n%s", warned, tt.warn, logs)
			}
			if warned && !strings.Contains(logs, "embed_key") {
				t.Errorf("the warning does not name embed_key:\n%s", logs)
			}
			if strings.Contains(logs, secret) {
				t.Error("the log holds the secret")
			}
		})
	}
}

// TestStartRefusesGlobEmbedOrigin: embed_origins takes exact origins only; a glob stops
// start-up naming the entry.
func TestStartRefusesGlobEmbedOrigin(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ccdash.yaml")
	writeFile(t, path, "data_dir: "+t.TempDir()+"\nembed_origins: [https://crm.example.com, 'https://*']\n", 0o600)
	err := serveErr(t, "--config", path)
	if err == nil || !strings.Contains(err.Error(), "embed_origins[1]") {
		t.Fatalf("serve = %v; want it refused naming embed_origins[1]", err)
	}
}
