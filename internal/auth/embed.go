package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors from VerifyEmbed.
var (
	// ErrBadSignature means the token was not signed with this key or was altered.
	ErrBadSignature = errors.New("auth: embed token signature invalid")
	// ErrExpired means the token's expiry has passed.
	ErrExpired = errors.New("auth: embed token expired")
	// ErrMalformed means the token is not an embed token at all.
	ErrMalformed = errors.New("auth: embed token malformed")
	// ErrWeakKey means the signing key is shorter than MinKeyBytes; nothing verifies
	// under such a key.
	ErrWeakKey = errors.New("auth: signing key shorter than 32 bytes")
)

// maxEmbedToken bounds the work VerifyEmbed does on input from a URL.
const maxEmbedToken = 1024

// embedMAC prefixes what is signed, so a MAC made with the same key for another purpose
// can never pass as an embed token.
const embedMAC = "ccdash/embed/v1\x00"

// EmbedClaims is what an embed token grants: one board, or one tile of it.
type EmbedClaims struct {
	// ID is the link's key id (NewEmbedID): the server lists the links in use by it
	// and revokes them one by one. Empty for links signed before key ids, which only
	// rotating the embed key revokes.
	ID    string
	Board string
	// Tile limits the token to one tile; empty means the whole board.
	Tile string
	// Expires is when the token stops working (second precision); zero means never.
	Expires time.Time
}

// embedPayload is the wire form of EmbedClaims; short names keep URLs short.
type embedPayload struct {
	V int    `json:"v"`
	K string `json:"k,omitempty"`
	B string `json:"b"`
	T string `json:"t,omitempty"`
	E int64  `json:"e,omitempty"` // Unix seconds; 0 = never
}

// SignEmbed returns a token for c: base64url(JSON payload) "." base64url(HMAC-SHA256).
// The token is not encrypted: the board, tile and expiry are readable by whoever holds
// it. key must be at least MinKeyBytes long (see NewSigningKey), or VerifyEmbed rejects
// the token.
func SignEmbed(key []byte, c EmbedClaims) string {
	p := embedPayload{V: 1, K: c.ID, B: c.Board, T: c.Tile}
	if !c.Expires.IsZero() {
		p.E = c.Expires.Unix()
	}
	// Marshal cannot fail for this struct of strings and ints.
	raw, _ := json.Marshal(p)
	payload := base64.RawURLEncoding.EncodeToString(raw)
	return payload + "." + base64.RawURLEncoding.EncodeToString(embedSum(key, payload))
}

// VerifyEmbed checks token under key at time now and returns its claims. It checks the
// signature (in constant time) before looking at the payload, so nothing unauthenticated
// is parsed. Errors: ErrMalformed, ErrBadSignature, ErrExpired, ErrWeakKey; none of them
// include the token or the key.
func VerifyEmbed(key []byte, token string, now time.Time) (EmbedClaims, error) {
	if len(key) < MinKeyBytes {
		return EmbedClaims{}, ErrWeakKey
	}
	if len(token) > maxEmbedToken {
		return EmbedClaims{}, ErrMalformed
	}
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || payload == "" || strings.Contains(sig, ".") {
		return EmbedClaims{}, ErrMalformed
	}
	gotSum, err := base64.RawURLEncoding.Strict().DecodeString(sig)
	if err != nil || len(gotSum) != sha256.Size {
		return EmbedClaims{}, ErrMalformed
	}
	if !hmac.Equal(gotSum, embedSum(key, payload)) {
		return EmbedClaims{}, ErrBadSignature
	}
	// Authentic from here on, but still decoded strictly: a token we would not have
	// produced is refused rather than guessed at.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(payload)
	if err != nil {
		return EmbedClaims{}, ErrMalformed
	}
	var p embedPayload
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || dec.More() || p.V != 1 || p.B == "" || p.E < 0 || (p.K != "" && !validEmbedID(p.K)) {
		return EmbedClaims{}, ErrMalformed
	}
	c := EmbedClaims{ID: p.K, Board: p.B, Tile: p.T}
	if p.E != 0 {
		c.Expires = time.Unix(p.E, 0).UTC()
		if !now.Before(c.Expires) {
			return EmbedClaims{}, ErrExpired
		}
	}
	return c, nil
}

func embedSum(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(embedMAC))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// String describes the claims for logs; it holds no secret.
func (c EmbedClaims) String() string {
	exp := "never"
	if !c.Expires.IsZero() {
		exp = c.Expires.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("id=%s board=%s tile=%s expires=%s", c.ID, c.Board, c.Tile, exp)
}
