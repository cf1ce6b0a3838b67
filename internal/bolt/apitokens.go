package bolt

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/ccdash/ccdash/internal/auth"
)

var (
	bucketAPITokens  = []byte("api_tokens")        // id → apiTokenRecord JSON
	bucketAPISecrets = []byte("api_token_secrets") // sha256(secret) → id
)

// APITokenStore is the auth.APITokenStore kept in the DB: records by id, and the
// SHA-256 of each secret pointing at its id (the secret itself is never stored).
type APITokenStore struct {
	db  *bbolt.DB
	now func() time.Time
}

var _ auth.APITokenStore = (*APITokenStore)(nil)

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

// NewAPITokenStore returns the API token store in db, creating its buckets.
func NewAPITokenStore(db *DB) (*APITokenStore, error) {
	if err := db.createBuckets(bucketAPITokens, bucketAPISecrets); err != nil {
		return nil, fmt.Errorf("bolt: API token store: %w", err)
	}
	return &APITokenStore{db: db.db, now: time.Now}, nil
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
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAPITokens)
		if b.Get([]byte(rec.ID)) != nil {
			return errors.New("API token id collision") // 2^-64: retrying is the caller's call
		}
		if err := putJSON(b, rec.ID, rec); err != nil {
			return err
		}
		return tx.Bucket(bucketAPISecrets).Put(sum[:], []byte(rec.ID))
	})
	if err != nil {
		return auth.APIToken{}, "", fmt.Errorf("bolt: API token store: create: %w", err)
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
	var rec apiTokenRecord
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bucketAPISecrets).Get(sum[:])
		if id == nil {
			return nil
		}
		var err error
		found, err = getJSON(tx.Bucket(bucketAPITokens), string(id), &rec)
		return err
	})
	switch {
	case err != nil:
		return auth.APIToken{}, fmt.Errorf("bolt: API token store: verify: %w", err)
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
	var out []auth.APIToken
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketAPITokens).ForEach(func(k, _ []byte) error {
			var rec apiTokenRecord
			if _, err := getJSON(tx.Bucket(bucketAPITokens), string(k), &rec); err != nil {
				return err
			}
			out = append(out, rec.token())
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: API token store: list: %w", err)
	}
	slices.SortFunc(out, func(a, b auth.APIToken) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RevokeAPIToken implements auth.APITokenStore. The record stays, so the list shows
// the token as revoked and its secret keeps failing.
func (s *APITokenStore) RevokeAPIToken(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketAPITokens)
		var rec apiTokenRecord
		ok, err := getJSON(b, id, &rec)
		switch {
		case err != nil:
			return err
		case !ok:
			return auth.ErrUnknownAPIToken
		case rec.Revoked:
			return nil
		}
		rec.Revoked = true
		return putJSON(b, id, rec)
	})
	if errors.Is(err, auth.ErrUnknownAPIToken) {
		return err
	}
	if err != nil {
		return fmt.Errorf("bolt: API token store: revoke: %w", err)
	}
	return nil
}
