package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

func TestAPITokenCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		args = append(append(slices.Clone(args[:min(2, len(args))]), "--data-dir", dir), args[min(2, len(args)):]...)
		err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	out, err := cli("api-token", "create", "--name", "Grafana", "--scope", "read", "--scope", "announce", "--skills", "comm100:a, comm100:b")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	secret := regexp.MustCompile(`ccd_[A-Za-z0-9_-]{43}`).FindString(out)
	id := regexp.MustCompile(`api-token revoke ([0-9a-f]+)`).FindStringSubmatch(out)
	if secret == "" || id == nil {
		t.Fatalf("create printed no token and id:\n%s", out)
	}
	if out, err := cli("api-token", "list"); err != nil || !strings.Contains(out, id[1]) || !strings.Contains(out, "comm100:a,comm100:b") || strings.Contains(out, secret) {
		t.Errorf("list: %v\n%s\nwant the token's id and skills and never its secret", err, out)
	}
	verify := func() (auth.APIToken, error) {
		db, err := bolt.Open(filepath.Join(dir, stateFile))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s, err := bolt.NewAPITokenStore(db)
		if err != nil {
			t.Fatal(err)
		}
		return s.VerifyAPIToken(context.Background(), secret)
	}
	if tok, err := verify(); err != nil || !slices.Equal(tok.Skills, []string{"comm100:a", "comm100:b"}) || !tok.Allows(auth.ScopeRead) || !tok.Allows(auth.ScopeAnnounce) {
		t.Errorf("stored token = %+v, %v", tok, err)
	}
	if _, err := cli("api-token", "revoke", id[1]); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := verify(); !errors.Is(err, auth.ErrRevoked) {
		t.Errorf("after revoke: %v, want ErrRevoked", err)
	}
	for _, args := range [][]string{
		{"api-token", "create", "--name", "x"},
		{"api-token", "create", "--name", "x", "--scope", "write"},
		{"api-token", "revoke"},
		{"api-token", "frobnicate"},
	} {
		if _, err := cli(args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
