package main

import (
	"strings"
	"testing"
)

const goodComm100 = `
sources:
  - kind: comm100
    interval: 15s
    comm100:
      base_url: https://api15.comm100.io/v4
      site_id: 10000
      email: wallboard@example.com
      api_key: ${C100_KEY}
`

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfigGood(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(goodComm100), env(map[string]string{"C100_KEY": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sources[0]
	if s.ID != "comm100" || s.Interval.D().Seconds() != 15 || s.Comm100.APIKey != "s3cret" {
		t.Errorf("got %+v %+v", s, s.Comm100)
	}
	if c.Listen != "127.0.0.1:8080" {
		t.Errorf("listen default: got %q", c.Listen)
	}
}

func TestParseConfigEmptyIsDemo(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 0 {
		t.Errorf("got sources %+v", c.Sources)
	}
}

// TestParseConfigBad: every bad config names its key, so an operator can fix it from
// the one-line message alone.
func TestParseConfigBad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, wantKey string
	}{
		{"unknown kind", "sources:\n  - kind: genesys\n", "sources[0].kind"},
		{"missing kind", "sources:\n  - id: x\n", "sources[0].kind"},
		{"unknown key", "sources:\n  - kind: comm100\n    intervall: 5s\n", "intervall"},
		{"interval below 1s", strings.Replace(goodComm100, "15s", "500ms", 1), "sources[0].interval"},
		{"bad duration", strings.Replace(goodComm100, "15s", "soon", 1), "not a duration"},
		{"missing credentials", strings.Replace(goodComm100, "api_key: ${C100_KEY}", "", 1), "sources[0].comm100.api_key"},
		{"bad url", strings.Replace(goodComm100, "https://api15.comm100.io/v4", "api15.comm100.io", 1), "sources[0].comm100.base_url"},
		{"ftp url", strings.Replace(goodComm100, "https://", "ftp://", 1), "sources[0].comm100.base_url"},
		{"missing site", strings.Replace(goodComm100, "site_id: 10000", "", 1), "sources[0].comm100.site_id"},
		{"oauth without token url", strings.Replace(goodComm100, "api_key: ${C100_KEY}", "client_id: a\n      password: b", 1), "sources[0].comm100.token_url"},
		{"unset env", strings.Replace(goodComm100, "C100_KEY", "NOPE", 1), "NOPE"},
		{"missing comm100 block", "sources:\n  - kind: comm100\n", "sources[0].comm100"},
		{"lp missing creds", "sources:\n  - kind: liveperson\n    liveperson:\n      account_id: \"123\"\n", "sources[0].liveperson.app_key"},
		{"lp bucket not divisor", "sources:\n  - kind: liveperson\n    liveperson:\n      account_id: \"123\"\n      client_id: a\n      client_secret: b\n      timeframe: 60\n      bucket: 31\n", "sources[0].liveperson.bucket"},
		{"lp timeframe too long", "sources:\n  - kind: liveperson\n    liveperson:\n      account_id: \"123\"\n      client_id: a\n      client_secret: b\n      timeframe: 2000\n", "sources[0].liveperson.timeframe"},
		{"duplicate source", goodComm100 + "  - kind: comm100\n    comm100: {base_url: 'https://x', site_id: 1, email: e, api_key: k}\n", "sources[1].id"},
		{"bad log level", "log_level: loud\n", "log_level"},
		{"unknown tile", "boards:\n  - id: lobby\n    tiles: [queue, weather]\n", "boards[0].tiles[1]"},
		{"board without id", "boards:\n  - title: Lobby\n", "boards[0].id"},
		{"sl threshold as percent", "boards:\n  - id: a\n    thresholds: {service_level_warn: 80}\n", "boards[0].thresholds.service_level_warn"},
		{"user without hash", "users:\n  - {name: a, role: admin}\n", "users[0].password_hash"},
		{"unknown role", "users:\n  - {name: a, role: root, password_hash: x}\n", "users[0].role"},
		{"duplicate user", "users:\n  - {name: a, role: admin, password_hash: x}\n  - {name: a, role: viewer, password_hash: y}\n", "users[1].name"},
		{"short embed key", "embed_key: c2hvcnQtU0VDUkVULWtleQ==\n", "embed_key"},
		{"embed key not base64", "embed_key: not*base64*SECRET\n", "embed_key"},
		{"embed origin with path", "embed_origins: [https://crm.example.com/app]\n", "embed_origins"},
		{"embed origin without scheme", "embed_origins: [crm.example.com]\n", "embed_origins"},
		{"bad redis url", "redis_url: http://user:SECRET@redis:6379\n", "redis_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(tt.yaml), env(map[string]string{"C100_KEY": "k"}))
			if err == nil {
				t.Fatal("got no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantKey) {
				t.Errorf("error %q does not name %q", msg, tt.wantKey)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if strings.Contains(msg, "SECRET") || strings.Contains(msg, "c2hvcnQtU0VDUkVULWtleQ") {
				t.Errorf("error repeats a secret value: %q", msg)
			}
		})
	}
}
