//lint:file-ignore S1025 the tests are what each formatting verb prints

package auth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverPrinted(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-api-key"
	type config struct {
		APIKey Secret `json:"api_key"`
	}
	cfg := config{APIKey: Secret(value)}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("config", "key", cfg.APIKey, "cfg", cfg)
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":         fmt.Sprintf("%v", cfg.APIKey),
		"%s":         fmt.Sprintf("%s", cfg.APIKey),
		"%q":         fmt.Sprintf("%q", cfg.APIKey),
		"%x":         fmt.Sprintf("%x", cfg.APIKey),
		"%#v":        fmt.Sprintf("%#v", cfg.APIKey),
		"%+v struct": fmt.Sprintf("%+v", cfg),
		"%#v struct": fmt.Sprintf("%#v", cfg),
		"slog":       logBuf.String(),
		"json":       string(js),
	}
	hexValue := fmt.Sprintf("%x", value)
	for name, out := range outputs {
		if strings.Contains(out, value) || strings.Contains(out, hexValue) {
			t.Errorf("%s output %q reveals the secret", name, out)
		}
	}
	if cfg.APIKey.Reveal() != value {
		t.Errorf("Reveal() = %q, want the value", cfg.APIKey.Reveal())
	}
	var back config
	if err := json.Unmarshal([]byte(`{"api_key":"`+value+`"}`), &back); err != nil || back.APIKey.Reveal() != value {
		t.Errorf("json.Unmarshal into Secret = %q, %v; want the value", back.APIKey.Reveal(), err)
	}
}

func TestSigningKey(t *testing.T) {
	t.Parallel()
	k := NewSigningKey()
	if len(k) != MinKeyBytes || bytes.Equal(k, make([]byte, MinKeyBytes)) {
		t.Fatalf("NewSigningKey() = %d bytes %x", len(k), k)
	}
	if bytes.Equal(k, NewSigningKey()) {
		t.Error("two NewSigningKey calls returned the same key")
	}
	got, err := ParseSigningKey(" " + EncodeSigningKey(k) + "\n")
	if err != nil || !bytes.Equal(got, k) {
		t.Errorf("ParseSigningKey(EncodeSigningKey(k)) = %x, %v; want %x", got, err, k)
	}
	tests := []struct{ name, in string }{
		{"short", EncodeSigningKey(k[:16])},
		{"not base64", "this is not a key!"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSigningKey(tt.in)
			if err == nil {
				t.Fatal("ParseSigningKey succeeded, want an error")
			}
			if tt.in != "" && strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %q repeats the input", err)
			}
		})
	}
}
