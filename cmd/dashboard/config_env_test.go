package main

import (
	"strings"
	"testing"
)

// TestParseConfigEnvSecretsLiteral: secrets holding YAML syntax are taken byte for byte
// from the environment; before expansion moved after parsing they truncated, injected
// keys or broke parsing.
func TestParseConfigEnvSecretsLiteral(t *testing.T) {
	t.Parallel()
	secrets := []struct{ name, value string }{
		{"hash", "pa ss#word"},
		{"colon", "a: b"},
		{"alias star", "*star"},
		{"leading quote", "'quote"},
		{"leading bracket", "[x, y"},
		{"newline", "line1\nline2\n"},
		{"injected key", "k\n    site_id: 1"},
		{"number-like", "12345"},
		{"bool-like", "true"},
		{"null-like", "null"},
	}
	for _, tt := range secrets {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseConfig([]byte(goodComm100), env(map[string]string{"C100_KEY": tt.value}))
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if got := c.Sources[0].Comm100.APIKey; got != tt.value {
				t.Errorf("api_key: got %q, want %q", got, tt.value)
			}
			if got := c.Sources[0].Comm100.SiteID; got != 10000 {
				t.Errorf("site_id: got %d, want 10000", got)
			}
		})
	}
}

// TestParseConfigEnvQuotedAndNumber: a plain ${} may still be a number; a quoted one
// stays a string.
func TestParseConfigEnvQuotedAndNumber(t *testing.T) {
	t.Parallel()
	yml := strings.Replace(goodComm100, "site_id: 10000", "site_id: ${SITE}", 1)
	yml = strings.Replace(yml, "email: wallboard@example.com", "email: \"${MAIL}\"", 1)
	c, err := ParseConfig([]byte(yml), env(map[string]string{"C100_KEY": "k", "SITE": "42", "MAIL": "007"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sources[0].Comm100.SiteID; got != 42 {
		t.Errorf("site_id: got %d, want 42", got)
	}
	if got := c.Sources[0].Comm100.Email; got != "007" {
		t.Errorf("email: got %q, want %q", got, "007")
	}
}

// TestParseConfigEnvSecretNotInErrors: a secret landing in a field that rejects it
// never reaches the message, and keys are never expanded.
func TestParseConfigEnvSecretNotInErrors(t *testing.T) {
	t.Parallel()
	const secret = "*s3cret: 'x#y"
	tests := []struct{ name, yaml, wantKey string }{
		{"secret in duration", strings.Replace(goodComm100, "15s", "${C100_KEY}", 1), "not a duration"},
		{"secret in int", strings.Replace(goodComm100, "10000", "${C100_KEY}", 1), "into int"},
		{"secret as id", strings.Replace(goodComm100, "interval: 15s", "id: ${C100_KEY}", 1), "sources[0].id"},
		{"secret in url", strings.Replace(goodComm100, "https://api15.comm100.io/v4", "${C100_KEY}", 1), "sources[0].comm100.base_url"},
		{"secret as log level", "log_level: ${C100_KEY}\n", "log_level"},
		{"key not expanded", "${C100_KEY}: 1\n", "${C100_KEY}"},
		{"unset still named", strings.Replace(goodComm100, "C100_KEY", "NOPE", 1), "NOPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(tt.yaml), env(map[string]string{"C100_KEY": secret}))
			if err == nil {
				t.Fatal("got no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantKey) {
				t.Errorf("error %q does not name %q", msg, tt.wantKey)
			}
			for _, part := range []string{"s3cret", "x#y"} {
				if strings.Contains(msg, part) {
					t.Errorf("error %q repeats part of the secret %q", msg, part)
				}
			}
		})
	}
}

// TestParseConfigEmptyForms: files with no mapping (comments only, a bare document
// marker, null) are still the demo config, as before expansion moved after parsing.
func TestParseConfigEmptyForms(t *testing.T) {
	t.Parallel()
	for name, yml := range map[string]string{"comment": "# nothing yet\n", "marker": "---\n", "null": "null\n", "blank": "\n\n"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseConfig([]byte(yml), env(nil))
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if len(c.Sources) != 0 || c.Listen != "127.0.0.1:8080" {
				t.Errorf("got %+v, want the demo defaults", c)
			}
		})
	}
}

// TestParseConfigEnvInFlowMapping: "${" and "}" are YAML flow indicators, yet a
// reference inside a flow mapping (the compact style most examples use) must work.
func TestParseConfigEnvInFlowMapping(t *testing.T) {
	t.Parallel()
	const y = "sources:\n  - kind: comm100\n    comm100: {base_url: 'https://x.example/v4', site_id: ${SITE}, email: a@b.c, api_key: ${KEY}}\n"
	c, err := ParseConfig([]byte(y), func(k string) string { return map[string]string{"SITE": "42", "KEY": "k}e{y, x"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sources[0].Comm100; got.APIKey != "k}e{y, x" || got.SiteID != 42 {
		t.Errorf("got api_key %q site_id %d", got.APIKey, got.SiteID)
	}
}
