package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/announce"
)

// Announcements runs the announce.Store contract against stores made by open (a
// fresh, empty store per call; cleanup is open's).
func Announcements(t *testing.T, open func(t *testing.T) announce.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	sample := func(id string) announce.Announcement {
		return announce.Announcement{ID: id, Text: "CRM is down — use the fallback form", Level: announce.Urgent,
			Boards: []string{"floor", "lobby"}, By: "maria", PostedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	}

	t.Run("put and list keep every field", func(t *testing.T) {
		s := open(t)
		want := sample("an_1")
		other := sample("an_2")
		other.Boards, other.Level = nil, announce.Info
		for _, a := range []announce.Announcement{want, other} {
			if err := s.Put(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b announce.Announcement) int { return strings.Compare(a.ID, b.ID) })
		if len(got) != 2 {
			t.Fatalf("List = %d announcements, want 2", len(got))
		}
		g := got[0]
		if g.ID != want.ID || g.Text != want.Text || g.Level != want.Level || !slices.Equal(g.Boards, want.Boards) ||
			g.By != want.By || !g.PostedAt.Equal(want.PostedAt) || !g.ExpiresAt.Equal(want.ExpiresAt) {
			t.Errorf("List[0] = %+v, want %+v", g, want)
		}
		if len(got[1].Boards) != 0 || got[1].Level != announce.Info || !got[1].On("anything") {
			t.Errorf("an all-boards info announcement came back as %+v", got[1])
		}
	})

	t.Run("put replaces, delete removes", func(t *testing.T) {
		s := open(t)
		a := sample("an_1")
		if err := s.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, sample("an_2")); err != nil {
			t.Fatal(err)
		}
		a.Text = "CRM is back"
		if err := s.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "an_2", "never-there"); err != nil {
			t.Fatalf("Delete with an unknown id: %v, want nil", err)
		}
		got, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != "an_1" || got[0].Text != "CRM is back" {
			t.Errorf("List = %+v, want only an_1 with the new text", got)
		}
		if err := s.Delete(ctx); err != nil {
			t.Errorf("Delete of nothing: %v", err)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		s := open(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, sample("an_3")); err == nil {
			t.Error("Put with a cancelled context succeeded")
		}
		if got, _ := s.List(ctx); len(got) != 0 {
			t.Errorf("the cancelled Put stored %+v", got)
		}
	})
}
