package announce_test

import (
	"context"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/announce"
)

// A second feed on the same store (another replica) shows a post and a withdrawal
// once it reloads; a reload that finds nothing new leaves Version alone.
func TestReloadFollowsTheStore(t *testing.T) {
	c := newClock()
	a, st := newFeed(t, c)
	b, err := announce.New(context.Background(), announce.Options{Store: st, Boards: func() []string { return []string{"floor"} }, Now: c.Now, After: c.After})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	posted, err := a.Post(ctx, announce.Draft{Text: "Huddle at 3", Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}, "maria")
	if err != nil {
		t.Fatal(err)
	}
	v := b.Version()
	if err := b.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if got := b.Active("floor"); len(got) != 1 || got[0].ID != posted.ID || b.Version() == v {
		t.Fatalf("after Reload: %+v (version %d → %d), want the post and a new version", got, v, b.Version())
	}
	v = b.Version()
	if err := b.Reload(ctx); err != nil || b.Version() != v {
		t.Errorf("a reload with nothing new: version %d → %d (%v), want unchanged", v, b.Version(), err)
	}
	if _, err := a.Withdraw(ctx, posted.ID, func(announce.Announcement) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if err := b.Reload(ctx); err != nil || len(b.Active("")) != 0 {
		t.Errorf("after the withdrawal elsewhere: %+v (%v), want none", b.Active(""), err)
	}
}
