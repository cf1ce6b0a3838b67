package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// EmbedLinks runs the auth.EmbedLinkStore contract against a new, empty store.
func EmbedLinks(t *testing.T, s auth.EmbedLinkStore) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	a := auth.EmbedLink{ID: auth.NewEmbedID(), Board: "lobby", Tile: "queue", Expires: t0.Add(30 * 24 * time.Hour)}
	b := auth.EmbedLink{ID: auth.NewEmbedID(), Board: "ops"}
	if list, err := s.List(ctx); err != nil || len(list) != 0 {
		t.Fatalf("List of a new store = %v, %v; want empty", list, err)
	}
	if revoked, err := s.Revoked(ctx, a.ID); revoked || err != nil {
		t.Errorf("Revoked(unseen) = %t, %v; want false", revoked, err)
	}
	if err := s.Revoke(ctx, a.ID); !errors.Is(err, auth.ErrUnknownEmbedLink) {
		t.Errorf("Revoke(unseen) = %v, want ErrUnknownEmbedLink", err)
	}
	for _, step := range []struct {
		l  auth.EmbedLink
		at time.Time
	}{{a, t0}, {b, t0.Add(time.Minute)}, {a, t0.Add(time.Hour)}, {a, t0.Add(time.Hour + time.Second)}, {a, t0}} {
		if err := s.Seen(ctx, step.l, step.at); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v; want the 2 links seen", list, err)
	}
	if list[0].ID != b.ID || list[1].ID != a.ID {
		t.Errorf("List order = %s, %s; want newest first seen first (%s, %s)", list[0].ID, list[1].ID, b.ID, a.ID)
	}
	got := list[1]
	if got.Board != "lobby" || got.Tile != "queue" || !got.Expires.Equal(a.Expires) || !got.FirstSeen.Equal(t0) ||
		!got.LastSeen.Equal(t0.Add(time.Hour+time.Second)) || got.Revoked {
		t.Errorf("link a = %+v; want lobby/queue, expiry kept, first seen %v, last seen an hour later, not revoked", got, t0)
	}
	if err := s.Revoke(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, a.ID); err != nil {
		t.Errorf("second Revoke = %v, want nil", err)
	}
	if revoked, err := s.Revoked(ctx, a.ID); !revoked || err != nil {
		t.Errorf("Revoked(a) = %t, %v; want true", revoked, err)
	}
	if revoked, _ := s.Revoked(ctx, b.ID); revoked {
		t.Error("revoking a revoked b too")
	}
	// Seeing a revoked link again does not bring it back.
	if err := s.Seen(ctx, a, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if revoked, _ := s.Revoked(ctx, a.ID); !revoked {
		t.Error("a revoked link is active again after being seen")
	}
}
