package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
)

// APITokens runs the auth.APITokenStore contract against stores made by newStore (a
// new, empty store per call; cleanup is newStore's).
func APITokens(t *testing.T, newStore func(t *testing.T) auth.APITokenStore) {
	t.Run("create verify revoke", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t)
		tok, secret, err := s.CreateAPIToken(ctx, "Grafana", []string{auth.ScopeRead}, []string{"comm100:a"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, auth.APITokenPrefix) || tok.ID == "" || tok.Name != "Grafana" || !tok.Allows(auth.ScopeRead) || !slices.Equal(tok.Skills, []string{"comm100:a"}) {
			t.Fatalf("CreateAPIToken = %+v %q", tok, secret)
		}
		got, err := s.VerifyAPIToken(ctx, secret)
		if err != nil || got.ID != tok.ID || !slices.Equal(got.Skills, tok.Skills) || !slices.Equal(got.Scopes, tok.Scopes) {
			t.Errorf("VerifyAPIToken(secret) = %+v, %v; want %+v", got, err, tok)
		}
		_, stranger, err := newStore(t).CreateAPIToken(ctx, "other", []string{auth.ScopeRead}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, bad := range map[string]string{"another store's": stranger, "garbage": "ccd_nope", "empty": "", "device-shaped": auth.NewDeviceSecret()} {
			if _, err := s.VerifyAPIToken(ctx, bad); !errors.Is(err, auth.ErrUnknownToken) {
				t.Errorf("VerifyAPIToken(%s) = %v, want ErrUnknownToken", name, err)
			}
		}
		if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Errorf("second revoke = %v, want nil", err)
		}
		if got, err := s.VerifyAPIToken(ctx, secret); !errors.Is(err, auth.ErrRevoked) || got.ID != tok.ID {
			t.Errorf("VerifyAPIToken after revoke = %+v, %v; want the token and ErrRevoked", got, err)
		}
		if err := s.RevokeAPIToken(ctx, "nope"); !errors.Is(err, auth.ErrUnknownAPIToken) {
			t.Errorf("RevokeAPIToken(unknown) = %v, want ErrUnknownAPIToken", err)
		}
		list, err := s.ListAPITokens(ctx)
		if err != nil || len(list) != 1 || !list[0].Revoked || list[0].ID != tok.ID {
			t.Errorf("ListAPITokens = %+v, %v; want the one revoked token", list, err)
		}
	})
	t.Run("create validates", func(t *testing.T) {
		s := newStore(t)
		for name, c := range map[string]struct {
			name           string
			scopes, skills []string
		}{
			"no name":       {"", []string{auth.ScopeRead}, nil},
			"no scope":      {"x", nil, nil},
			"unknown scope": {"x", []string{"write"}, nil},
			"bad skill":     {"x", []string{auth.ScopeRead}, []string{"a,b"}},
		} {
			if _, _, err := s.CreateAPIToken(t.Context(), c.name, c.scopes, c.skills); err == nil {
				t.Errorf("%s: created", name)
			}
		}
		if list, _ := s.ListAPITokens(t.Context()); len(list) != 0 {
			t.Errorf("refused tokens were stored: %+v", list)
		}
	})
	t.Run("canceled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, _, err := newStore(t).CreateAPIToken(ctx, "x", []string{auth.ScopeRead}, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("CreateAPIToken with canceled ctx = %v, want context.Canceled", err)
		}
	})
}
