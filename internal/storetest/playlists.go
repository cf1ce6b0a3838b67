package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/screens"
)

// Playlists runs the screens.Store contract against stores made by newStore (a new,
// empty store per call; cleanup is newStore's).
func Playlists(t *testing.T, newStore func(t *testing.T) screens.Store) {
	t.Run("PutListDelete", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t)
		if got, err := s.List(ctx); err != nil || len(got) != 0 {
			t.Fatalf("List of a new store = %v, %v", got, err)
		}
		day, _ := screens.ParseWindow("08:00-18:00")
		b := screens.Playlist{ID: "b-floor", Title: "Floor", PinOnAlert: true, Entries: []screens.Entry{
			{Board: "sales", Duration: 30 * time.Second, Window: day}, {Board: "support", Duration: time.Minute},
		}}
		a := screens.Playlist{ID: "a-lobby", Entries: []screens.Entry{{Board: "lobby", Duration: 10 * time.Second}}}
		for _, p := range []screens.Playlist{b, a} {
			if err := s.Put(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []screens.Playlist{a, b}; !reflect.DeepEqual(got, want) {
			t.Fatalf("List = %+v\nwant %+v (by id, windows kept)", got, want)
		}
		a.Entries = append(a.Entries, screens.Entry{Board: "sales", Duration: 20 * time.Second})
		if err := s.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, b.ID); !errors.Is(err, screens.ErrUnknownPlaylist) {
			t.Errorf("second Delete = %v, want ErrUnknownPlaylist", err)
		}
		got, err = s.List(ctx)
		if err != nil || !reflect.DeepEqual(got, []screens.Playlist{a}) {
			t.Errorf("List after replace and delete = %+v, %v; want [%+v]", got, err, a)
		}
	})
	t.Run("CanceledContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := newStore(t).Put(ctx, screens.Playlist{ID: "x"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with canceled ctx = %v, want context.Canceled", err)
		}
	})
}
