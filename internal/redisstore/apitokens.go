package redisstore

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
)

// APITokenStore is the auth.APITokenStore shared by replicas: records by id, and the
// SHA-256 of each secret pointing at its id (the secret itself is never stored).
type APITokenStore struct {
	c               *redis.Client
	tokens, secrets string
	now             func() time.Time
}

var _ auth.APITokenStore = (*APITokenStore)(nil)

// NewAPITokenStore returns the API token store under prefix (Prefix(name)).
func NewAPITokenStore(c *redis.Client, prefix string) *APITokenStore {
	return &APITokenStore{c: c, tokens: prefix + "api_tokens", secrets: prefix + "api_token_secrets", now: time.Now}
}

// apiTokenRecord is the stored form; the same fields as the bolt store's.
type apiTokenRecord struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Scopes     []string  `json:"scopes"`
	Skills     []string  `json:"skills,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Revoked    bool      `json:"revoked"`
	SecretHash string    `json:"secret_sha256"`
}

func (r apiTokenRecord) token() auth.APIToken {
	return auth.APIToken{ID: r.ID, Name: r.Name, Scopes: r.Scopes, Skills: r.Skills, CreatedAt: r.CreatedAt, Revoked: r.Revoked}
}

// CreateAPIToken implements auth.APITokenStore.
func (s *APITokenStore) CreateAPIToken(ctx context.Context, name string, scopes, skills []string) (auth.APIToken, string, error) {
	if err := ctx.Err(); err != nil {
		return auth.APIToken{}, "", err
	}
	if err := auth.ValidateAPIToken(name, scopes, skills); err != nil {
		return auth.APIToken{}, "", err
	}
	secret := auth.NewAPITokenSecret()
	sum, _ := auth.APITokenSecretSum(secret)
	rec := apiTokenRecord{ID: newID(), Name: name, Scopes: slices.Clone(scopes), Skills: slices.Clone(skills),
		CreatedAt: s.now().UTC().Truncate(time.Second), SecretHash: hex.EncodeToString(sum[:])}
	err := updateJSON(ctx, s.c, s.tokens, rec.ID, func(r *apiTokenRecord, found bool) error {
		if found {
			return errors.New("API token id collision") // 2^-64: retrying is the caller's call
		}
		*r = rec
		return nil
	})
	if err == nil {
		err = s.c.HSet(ctx, s.secrets, rec.SecretHash, rec.ID).Err()
	}
	if err != nil {
		return auth.APIToken{}, "", fmt.Errorf("redisstore: API token store: create: %w", err)
	}
	return rec.token(), secret, nil
}

// VerifyAPIToken implements auth.APITokenStore; the lookup is by the secret's hash.
func (s *APITokenStore) VerifyAPIToken(ctx context.Context, secret string) (auth.APIToken, error) {
	if err := ctx.Err(); err != nil {
		return auth.APIToken{}, err
	}
	sum, ok := auth.APITokenSecretSum(secret)
	if !ok {
		return auth.APIToken{}, auth.ErrUnknownToken
	}
	id, err := s.c.HGet(ctx, s.secrets, hex.EncodeToString(sum[:])).Result()
	if errors.Is(err, redis.Nil) {
		return auth.APIToken{}, auth.ErrUnknownToken
	}
	var rec apiTokenRecord
	found := false
	if err == nil {
		found, err = getJSON(ctx, s.c, s.tokens, id, &rec)
	}
	switch {
	case err != nil:
		return auth.APIToken{}, fmt.Errorf("redisstore: API token store: verify: %w", err)
	case !found:
		return auth.APIToken{}, auth.ErrUnknownToken
	case rec.Revoked:
		return rec.token(), auth.ErrRevoked
	}
	return rec.token(), nil
}

// ListAPITokens implements auth.APITokenStore.
func (s *APITokenStore) ListAPITokens(ctx context.Context) ([]auth.APIToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs, err := allJSON[apiTokenRecord](ctx, s.c, s.tokens)
	if err != nil {
		return nil, fmt.Errorf("redisstore: API token store: list: %w", err)
	}
	out := make([]auth.APIToken, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.token())
	}
	slices.SortFunc(out, func(a, b auth.APIToken) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RevokeAPIToken implements auth.APITokenStore; the record stays, so the list shows the
// token as revoked and its secret keeps failing on every replica.
func (s *APITokenStore) RevokeAPIToken(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := updateJSON(ctx, s.c, s.tokens, id, func(rec *apiTokenRecord, found bool) error {
		switch {
		case !found:
			return auth.ErrUnknownAPIToken
		case rec.Revoked:
			return errSkip
		}
		rec.Revoked = true
		return nil
	})
	if errors.Is(err, auth.ErrUnknownAPIToken) {
		return err
	}
	if err != nil {
		return fmt.Errorf("redisstore: API token store: revoke: %w", err)
	}
	return nil
}
