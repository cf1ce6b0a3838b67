package auth

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
)

// MinKeyBytes is the shortest signing key accepted: 256 bits, the HMAC-SHA256 block of
// security.
const MinKeyBytes = 32

// NewSigningKey returns a fresh random 32-byte key for SignEmbed. Persist it (e.g. in the
// data directory or config via EncodeSigningKey) or every embed URL dies on restart.
func NewSigningKey() []byte {
	k := make([]byte, MinKeyBytes)
	_, _ = rand.Read(k) // never fails since Go 1.24
	return k
}

// EncodeSigningKey returns key as base64url text for a config file or key file.
func EncodeSigningKey(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

// ParseSigningKey decodes a key written by EncodeSigningKey (surrounding whitespace
// ignored) and checks its length. The error never repeats the input.
func ParseSigningKey(s string) ([]byte, error) {
	k, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("auth: signing key is not base64url text (make one with NewSigningKey)")
	}
	if len(k) < MinKeyBytes {
		return nil, fmt.Errorf("auth: signing key is %d bytes, want at least %d", len(k), MinKeyBytes)
	}
	return k, nil
}

// Secret holds a secret string (a password, API key or token) in config structs so it
// cannot leak by accident: fmt, %v, %#v, slog and JSON all show "[redacted]". Reveal
// returns the value for the one place that needs it.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return `auth.Secret("` + redacted + `")` }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON writes "[redacted]", so a config dump or debug endpoint shows no secret.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalYAML writes "[redacted]" for the same reason (gopkg.in/yaml.v3's Marshaler).
func (s Secret) MarshalYAML() (any, error) { return redacted, nil }
