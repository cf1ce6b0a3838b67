package bolt_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/storetest"
)

func openAnnouncements(t *testing.T, path string) (*bolt.DB, *bolt.Announcements) {
	t.Helper()
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := bolt.NewAnnouncements(db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, s
}

func TestAnnouncements(t *testing.T) {
	storetest.Announcements(t, func(t *testing.T) announce.Store {
		db, s := openAnnouncements(t, filepath.Join(t.TempDir(), "ccdash.db"))
		t.Cleanup(func() { db.Close() })
		return s
	})
}

// TestAnnouncementsSurviveRestart: a posted announcement is in the file once Post
// returns; a feed on the reopened file shows it, and drops one that expired meanwhile.
func TestAnnouncementsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ccdash.db")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, s := openAnnouncements(t, path)
	f, err := announce.New(ctx, announce.Options{Store: s, Boards: func() []string { return []string{"floor"} }, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	long, err := f.Post(ctx, announce.Draft{Text: "CRM is down", Level: announce.Urgent, ExpiresAt: now.Add(time.Hour)}, "maria")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Post(ctx, announce.Draft{Text: "brief", Level: announce.Info, ExpiresAt: now.Add(time.Minute)}, "maria"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	now = now.Add(10 * time.Minute) // down for 10 minutes: "brief" expired meanwhile
	db, s = openAnnouncements(t, path)
	defer db.Close()
	f, err = announce.New(ctx, announce.Options{Store: s, Boards: func() []string { return []string{"floor"} }, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	got := f.Active("floor")
	if len(got) != 1 || got[0].ID != long.ID || got[0].Text != "CRM is down" || got[0].By != "maria" || !got[0].ExpiresAt.Equal(long.ExpiresAt) {
		t.Fatalf("after the restart Active = %+v, want only %+v", got, long)
	}
	kept, err := s.List(ctx)
	if err != nil || len(kept) != 1 {
		t.Errorf("store after the restart keeps %d (%v), want the expired one deleted", len(kept), err)
	}
}
