package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/boardstore"
)

// Boards runs the boardstore.Store contract against stores made by newStore (a new,
// empty store per call; cleanup is newStore's).
func Boards(t *testing.T, newStore func(t *testing.T) boardstore.Store) {
	t.Run("PutListDelete", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t)
		if got, err := s.List(ctx); err != nil || len(got) != 0 {
			t.Fatalf("List of a new store = %v, %v", got, err)
		}
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		b := boardstore.Board{ID: "sales", YAML: "id: sales\ntitle: Sales\n", UpdatedBy: "ana", UpdatedAt: at}
		a := boardstore.Board{ID: "lobby", YAML: "id: lobby\n", UpdatedBy: "bo", UpdatedAt: at.Add(time.Minute)}
		for _, x := range []boardstore.Board{b, a} {
			if err := s.Put(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []boardstore.Board{a, b}; !reflect.DeepEqual(got, want) {
			t.Fatalf("List = %+v\nwant %+v (by id)", got, want)
		}
		a.YAML = "id: lobby\ntitle: Lobby\n"
		if err := s.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, b.ID); !errors.Is(err, boardstore.ErrUnknownBoard) {
			t.Errorf("second Delete = %v, want ErrUnknownBoard", err)
		}
		got, err = s.List(ctx)
		if err != nil || !reflect.DeepEqual(got, []boardstore.Board{a}) {
			t.Errorf("List after replace and delete = %+v, %v; want [%+v]", got, err, a)
		}
	})
	t.Run("CanceledContext", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := newStore(t).Put(ctx, boardstore.Board{ID: "x"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with canceled ctx = %v, want context.Canceled", err)
		}
	})
}

// BoardAudit runs the boardstore.Audit contract against logs made by newAudit.
func BoardAudit(t *testing.T, newAudit func(t *testing.T) boardstore.Audit) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	t.Run("NewestFirst", func(t *testing.T) {
		ctx := t.Context()
		a := newAudit(t)
		e1 := boardstore.Entry{At: at, Who: "ana", Action: boardstore.ActionCreate, Board: "sales", Summary: "id: sales"}
		e2 := boardstore.Entry{At: at.Add(time.Minute), Who: "bo", Action: boardstore.ActionEdit, Board: "sales", Summary: "title: A → B"}
		for _, e := range []boardstore.Entry{e1, e2} {
			if err := a.Append(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := a.Recent(ctx, 10)
		if err != nil || !reflect.DeepEqual(got, []boardstore.Entry{e2, e1}) {
			t.Fatalf("Recent = %+v, %v; want newest first", got, err)
		}
		if got, _ := a.Recent(ctx, 1); len(got) != 1 || got[0] != e2 {
			t.Errorf("Recent(1) = %+v, want [e2]", got)
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		ctx := t.Context()
		a := newAudit(t)
		old := boardstore.Entry{At: at, Who: "ana", Action: boardstore.ActionEdit, Board: "old"}
		if err := a.Append(ctx, old); err != nil {
			t.Fatal(err)
		}
		later := at.Add(boardstore.MaxAge + time.Hour)
		for i := range boardstore.MaxEntries + 5 {
			e := boardstore.Entry{At: later.Add(time.Duration(i) * time.Second), Who: "bo", Action: boardstore.ActionEdit, Board: fmt.Sprint(i)}
			if err := a.Append(ctx, e); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if got, _ := a.Recent(ctx, 10); len(got) != 1 {
					t.Fatalf("after an entry MaxAge later, Recent = %+v; want the old one dropped", got)
				}
			}
		}
		got, err := a.Recent(ctx, 2*boardstore.MaxEntries)
		if err != nil || len(got) != boardstore.MaxEntries {
			t.Fatalf("Recent holds %d entries, %v; want MaxEntries", len(got), err)
		}
		if got[len(got)-1].Board != "5" {
			t.Errorf("oldest kept = %q, want %q (the first five dropped)", got[len(got)-1].Board, "5")
		}
	})
}
