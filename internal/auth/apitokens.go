package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// API token scopes. A token holds a list of them, so later abilities are new words,
// not new token kinds.
const (
	// ScopeRead reads the snapshot and history APIs, limited to the token's skills.
	ScopeRead = "read"
	// ScopeAnnounce posts, lists and withdraws announcements to the walls.
	ScopeAnnounce = "announce"
)

// APIScopes lists every scope a token may hold.
var APIScopes = []string{ScopeRead, ScopeAnnounce}

// APITokenPrefix starts every API token secret, so a leaked one is recognisable
// (secret scanners) and garbage is refused without a store lookup.
const APITokenPrefix = "ccd_"

// KindAPIToken is an integration holding an API token (Authorization: Bearer).
const KindAPIToken Kind = "apitoken"

// Errors of API tokens.
var (
	// ErrUnknownAPIToken: no API token with that id.
	ErrUnknownAPIToken = errors.New("auth: unknown API token id")
	// ErrInvalidAPIToken wraps ValidateAPIToken's refusals; the rest of the message
	// says what to fix.
	ErrInvalidAPIToken = errors.New("invalid API token")
)

// APIToken is a credential for integrations (WFM tools, Grafana): scoped to
// skills, revocable, kept hashed. The secret is shown once, at creation.
type APIToken struct {
	ID   string
	Name string
	// Scopes are what the token may do (ScopeRead, …).
	Scopes []string
	// Skills limits the token to these skill keys; empty means every skill.
	Skills    []string
	CreatedAt time.Time
	Revoked   bool
}

// Allows reports whether the token holds scope.
func (t APIToken) Allows(scope string) bool { return slices.Contains(t.Scopes, scope) }

// APITokenStore keeps API tokens. Implementations: internal/bolt (embedded), later
// internal/redis; both pass storetest.APITokens.
type APITokenStore interface {
	// CreateAPIToken registers a token and returns it with its secret (shown once).
	// The arguments are checked with ValidateAPIToken.
	CreateAPIToken(ctx context.Context, name string, scopes, skills []string) (APIToken, string, error)
	// VerifyAPIToken returns the token whose secret this is: ErrUnknownToken if none, the
	// token and ErrRevoked if it was revoked.
	VerifyAPIToken(ctx context.Context, secret string) (APIToken, error)
	// ListAPITokens returns every token, revoked ones included, oldest first.
	ListAPITokens(ctx context.Context) ([]APIToken, error)
	// RevokeAPIToken makes the token stop working for good; ErrUnknownAPIToken if there
	// is none with id. Revoking twice is not an error.
	RevokeAPIToken(ctx context.Context, id string) error
}

// ValidateAPIToken checks a new token's name, scopes and skills.
func ValidateAPIToken(name string, scopes, skills []string) error {
	if strings.TrimSpace(name) == "" || len(name) > 100 {
		return fmt.Errorf("%w: the name must be 1 to 100 characters", ErrInvalidAPIToken)
	}
	if len(scopes) == 0 {
		return fmt.Errorf("%w: it needs at least one scope (%s)", ErrInvalidAPIToken, strings.Join(APIScopes, ", "))
	}
	for _, s := range scopes {
		if !slices.Contains(APIScopes, s) {
			return fmt.Errorf("%w: unknown scope %q (one of %s)", ErrInvalidAPIToken, s, strings.Join(APIScopes, ", "))
		}
	}
	for _, k := range skills {
		if k == "" || len(k) > 200 || strings.ContainsFunc(k, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ',' }) {
			return fmt.Errorf("%w: %q is not a skill key", ErrInvalidAPIToken, k)
		}
	}
	return nil
}

// NewAPITokenSecret returns a fresh secret: APITokenPrefix and 32 random bytes,
// base64url. Stores keep only APITokenSecretSum of it.
func NewAPITokenSecret() string { return APITokenPrefix + newRandomToken() }

// APITokenSecretSum returns the SHA-256 a store looks a secret up by, or false when
// secret is not shaped like one NewAPITokenSecret makes.
func APITokenSecretSum(secret string) ([sha256.Size]byte, bool) {
	rest, ok := strings.CutPrefix(secret, APITokenPrefix)
	if !ok || len(rest) != 43 {
		return [sha256.Size]byte{}, false
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(rest); err != nil || len(b) != 32 {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256([]byte(secret)), true
}

// APITokenPrincipal is who an API token speaks for: its name, limited to its skills.
func APITokenPrincipal(t APIToken) Principal {
	p := Principal{Kind: KindAPIToken, Name: t.Name, Key: "apitoken:" + t.ID}
	if len(t.Skills) > 0 {
		p.Scope = snapshot.Scope{Skills: slices.Clone(t.Skills)}
	}
	return p
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header value.
func BearerToken(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}
