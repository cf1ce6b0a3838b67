package redisstore

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/storetest"
)

// waitFor polls cond with a deadline generous for a loaded machine.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestAnnouncements(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.Announcements(t, func(t *testing.T) announce.Store { return NewAnnouncements(f.c, f.prefix()) })
}

func TestPlaylists(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.Playlists(t, func(t *testing.T) screens.Store { return NewPlaylists(f.c, f.prefix()) })
}

// replicaFeed is one replica's announcement feed on the shared store, reloading on
// every change notification until the test ends.
func replicaFeed(t testing.TB, f *fresh, prefix string) *announce.Feed {
	t.Helper()
	st := NewAnnouncements(f.c, prefix)
	feed, err := announce.New(t.Context(), announce.Options{Store: st, Boards: func() []string { return []string{"floor"} }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); st.Watch(ctx, func(ctx context.Context) { _ = feed.Reload(ctx) }) }()
	t.Cleanup(func() { cancel(); <-done })
	return feed
}

// TestAnnouncementsAcrossReplicas: a post on replica A reaches replica B's feed (its
// walls) by the change notification, and so does the withdrawal.
func TestAnnouncementsAcrossReplicas(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	p := f.prefix()
	a, b := replicaFeed(t, f, p), replicaFeed(t, f, p)
	ctx := t.Context()
	posted, err := a.Post(ctx, announce.Draft{Text: "CRM is down", Level: announce.Urgent, ExpiresAt: time.Now().Add(time.Hour)}, "maria")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the post on B", func() bool {
		got := b.Active("floor")
		return len(got) == 1 && got[0].ID == posted.ID && got[0].Text == "CRM is down"
	})
	if _, err := a.Withdraw(ctx, posted.ID, func(announce.Announcement) bool { return true }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the withdrawal on B", func() bool { return len(b.Active("")) == 0 })
}

// TestPlaylistsAcrossReplicas: a playlist saved through replica A's store, and a
// rebind A announces, make replica B reload.
func TestPlaylistsAcrossReplicas(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	p := f.prefix()
	a, b := NewPlaylists(f.c, p), NewPlaylists(f.c, p)
	var seen atomic.Pointer[[]string]
	var reloads atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Watch(ctx, func(ctx context.Context) {
			ps, err := b.List(ctx)
			if err != nil {
				return
			}
			var ids []string
			for _, pl := range ps {
				ids = append(ids, pl.ID)
			}
			seen.Store(&ids)
			reloads.Add(1)
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "B's first reload", func() bool { return reloads.Load() >= 1 })
	pl := screens.Playlist{ID: "floor", Entries: []screens.Entry{{Board: "sales", Duration: 30 * time.Second}}}
	if err := a.Put(t.Context(), pl); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the playlist on B", func() bool { ids := seen.Load(); return ids != nil && slices.Equal(*ids, []string{"floor"}) })
	n := reloads.Load()
	if err := a.Notify(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "B's reload after a rebind on A", func() bool { return reloads.Load() > n })
}

func TestBoards(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.Boards(t, func(t *testing.T) boardstore.Store { return NewBoards(f.c, f.prefix()) })
}

func TestBoardAudit(t *testing.T) {
	t.Parallel()
	f := newFresh(t)
	storetest.BoardAudit(t, func(t *testing.T) boardstore.Audit { return NewBoards(f.c, f.prefix()) })
}
