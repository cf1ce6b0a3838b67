package auth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, MinKeyBytes) }

func TestEmbedRoundTrip(t *testing.T) {
	t.Parallel()
	key := testKey(1)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    EmbedClaims
	}{
		{"board, never expires", EmbedClaims{Board: "lobby"}},
		{"tile, expires", EmbedClaims{Board: "lobby", Tile: "sl-sales", Expires: now.Add(time.Hour)}},
		{"unicode board", EmbedClaims{Board: "étage-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := SignEmbed(key, tt.c)
			if strings.ContainsAny(tok, "+/= ") {
				t.Errorf("token %q is not URL-safe", tok)
			}
			got, err := VerifyEmbed(key, tok, now)
			if err != nil {
				t.Fatalf("VerifyEmbed: %v", err)
			}
			if got.Board != tt.c.Board || got.Tile != tt.c.Tile || !got.Expires.Equal(tt.c.Expires) {
				t.Errorf("claims = %v, want %v", got, tt.c)
			}
		})
	}
}

func TestEmbedRejects(t *testing.T) {
	t.Parallel()
	key := testKey(1)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	good := SignEmbed(key, EmbedClaims{Board: "lobby", Expires: now.Add(time.Minute)})
	payload, sig, _ := strings.Cut(good, ".")
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"b":"admin"}`))
	flip := func(s string) string { // change the last character to another valid one
		last := s[len(s)-1]
		repl := byte('A')
		if last == 'A' {
			repl = 'Q'
		}
		return s[:len(s)-1] + string(repl)
	}
	// A token whose payload we signed but would never produce.
	signed := func(json string) string {
		p := base64.RawURLEncoding.EncodeToString([]byte(json))
		return p + "." + base64.RawURLEncoding.EncodeToString(embedSum(key, p))
	}
	tests := []struct {
		name    string
		key     []byte
		token   string
		now     time.Time
		wantErr error
	}{
		{"valid", key, good, now, nil},
		{"expired exactly at expiry", key, good, now.Add(time.Minute), ErrExpired},
		{"expired later", key, good, now.Add(time.Hour), ErrExpired},
		{"tampered payload", key, forged + "." + sig, now, ErrBadSignature},
		{"tampered signature", key, payload + "." + flip(sig), now, ErrBadSignature},
		{"wrong key", testKey(2), good, now, ErrBadSignature},
		{"short key", key[:31], good, now, ErrWeakKey},
		{"empty", key, "", now, ErrMalformed},
		{"no dot", key, payload, now, ErrMalformed},
		{"two dots", key, good + ".x", now, ErrMalformed},
		{"empty payload", key, "." + sig, now, ErrMalformed},
		{"padded signature", key, good + "=", now, ErrMalformed},
		{"std base64 signature", key, payload + "." + base64.StdEncoding.EncodeToString(make([]byte, 32)), now, ErrMalformed},
		{"short signature", key, payload + ".AAAA", now, ErrMalformed},
		{"huge", key, strings.Repeat("A", 4096) + "." + sig, now, ErrMalformed},
		{"signed but unknown field", key, signed(`{"v":1,"b":"x","admin":true}`), now, ErrMalformed},
		{"signed but wrong version", key, signed(`{"v":2,"b":"x"}`), now, ErrMalformed},
		{"signed but no board", key, signed(`{"v":1}`), now, ErrMalformed},
		{"signed but trailing data", key, signed(`{"v":1,"b":"x"}{}`), now, ErrMalformed},
		{"signed but negative expiry", key, signed(`{"v":1,"b":"x","e":-5}`), now, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := VerifyEmbed(tt.key, tt.token, tt.now)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("VerifyEmbed err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// FuzzVerifyEmbed: arbitrary input never panics, and anything accepted is exactly a
// token SignEmbed produces for the claims returned (no second spelling is accepted).
func FuzzVerifyEmbed(f *testing.F) {
	key := testKey(7)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	f.Add(SignEmbed(key, EmbedClaims{Board: "lobby"}))
	f.Add(SignEmbed(key, EmbedClaims{Board: "lobby", Tile: "t", Expires: now.Add(time.Hour)}))
	f.Add(SignEmbed(key, EmbedClaims{Board: "lobby", Expires: now.Add(-time.Hour)}))
	f.Add("")
	f.Add(".")
	f.Add("e30.AAAA")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := VerifyEmbed(key, token, now)
		if err != nil {
			return
		}
		if c.Board == "" {
			t.Fatalf("accepted %q with empty board", token)
		}
		if again := SignEmbed(key, c); again != token {
			t.Fatalf("accepted %q, but SignEmbed(%v) = %q", token, c, again)
		}
	})
}
