package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/redistest"
)

// TestTokenCommandsOnReplicas: with redis_url set, `token` and `api-token` make,
// list and revoke the fleet's devices and API tokens in Redis (what every replica
// reads), and leave data_dir alone.
func TestTokenCommandsOnReplicas(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, "redis_url: %s\ncluster: {name: floor}\n", srv.URL()), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	cli := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{args[0], args[1], "--config", conf, "--data-dir", data}, args[2:]...)
		if err := run(t.Context(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	rc := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { rc.Close() })
	devices := redisstore.NewDeviceStore(rc, redisstore.Prefix("floor"))
	apiTokens := redisstore.NewAPITokenStore(rc, redisstore.Prefix("floor"))

	out := cli("token", "create", "--board", "demo", "--name", "Lobby TV")
	u, err := url.Parse(regexp.MustCompile(`https?://\S+`).FindString(out))
	if err != nil {
		t.Fatalf("create printed no URL:\n%s", out)
	}
	d, err := devices.Verify(t.Context(), u.Query().Get("device"))
	if err != nil || d.Name != "Lobby TV" {
		t.Fatalf("the printed device in Redis: %+v, %v", d, err)
	}
	if out := cli("token", "list"); !strings.Contains(out, d.ID) {
		t.Errorf("token list does not show %s:\n%s", d.ID, out)
	}
	cli("token", "revoke", d.ID)
	if _, err := devices.Verify(t.Context(), u.Query().Get("device")); !errors.Is(err, auth.ErrRevoked) {
		t.Errorf("after token revoke: %v, want ErrRevoked", err)
	}

	out = cli("api-token", "create", "--name", "Grafana", "--scope", "read")
	secret := regexp.MustCompile(`ccd_[A-Za-z0-9_-]{43}`).FindString(out)
	id := regexp.MustCompile(`api-token revoke ([0-9a-f]+)`).FindStringSubmatch(out)
	if secret == "" || id == nil {
		t.Fatalf("api-token create printed no token and id:\n%s", out)
	}
	if tok, err := apiTokens.VerifyAPIToken(t.Context(), secret); err != nil || tok.Name != "Grafana" {
		t.Fatalf("the printed API token in Redis: %+v, %v", tok, err)
	}
	if out := cli("api-token", "list"); !strings.Contains(out, id[1]) {
		t.Errorf("api-token list does not show %s:\n%s", id[1], out)
	}
	cli("api-token", "revoke", id[1])
	if _, err := apiTokens.VerifyAPIToken(t.Context(), secret); !errors.Is(err, auth.ErrRevoked) {
		t.Errorf("after api-token revoke: %v, want ErrRevoked", err)
	}
	if _, err := os.Stat(filepath.Join(data, stateFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("data_dir state file: %v, want none (everything in Redis)", err)
	}
}
