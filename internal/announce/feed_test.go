package announce_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/internal/bolt"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// clock is a fake clock with a fake timer: After records what Run asked for and
// returns a channel the test fires after moving the clock.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	asked chan time.Duration
	fire  chan time.Time
}

func newClock() *clock {
	return &clock{now: t0, asked: make(chan time.Duration, 16), fire: make(chan time.Time)}
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func (c *clock) After(d time.Duration) <-chan time.Time { c.asked <- d; return c.fire }

func newFeed(t testing.TB, c *clock) (*announce.Feed, *bolt.Announcements) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := bolt.NewAnnouncements(db)
	if err != nil {
		t.Fatal(err)
	}
	f, err := announce.New(context.Background(), announce.Options{Store: st, Boards: func() []string { return []string{"floor", "lobby"} }, Now: c.Now, After: c.After})
	if err != nil {
		t.Fatal(err)
	}
	return f, st
}

func TestPostRefusesBadDrafts(t *testing.T) {
	f, _ := newFeed(t, newClock())
	ok := announce.Draft{Text: "CRM is down", Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}
	cases := []struct {
		name string
		edit func(*announce.Draft)
		want string
	}{
		{"empty", func(d *announce.Draft) { d.Text = " \u200b\t " }, "empty"},
		{"too long", func(d *announce.Draft) { d.Text = strings.Repeat("é", 281) }, "longer than 280"},
		{"level", func(d *announce.Draft) { d.Level = "loud" }, `level "loud"`},
		{"no expiry", func(d *announce.Draft) { d.ExpiresAt = time.Time{} }, "needs an expiry"},
		{"past", func(d *announce.Draft) { d.ExpiresAt = t0 }, "not in the future"},
		{"far", func(d *announce.Draft) { d.ExpiresAt = t0.Add(announce.MaxTTL + time.Second) }, "7 days"},
		{"unknown board", func(d *announce.Draft) { d.Boards = []string{"floor", "attic"} }, `unknown board "attic"`},
		{"all and more", func(d *announce.Draft) { d.Boards = []string{"all", "floor"} }, `"all" goes alone`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := ok
			c.edit(&d)
			_, err := f.Post(context.Background(), d, "maria")
			if !errors.Is(err, announce.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Post = %v, want ErrInvalid saying %q", err, c.want)
			}
		})
	}
	if got := f.Active(""); len(got) != 0 {
		t.Errorf("refused drafts are active: %+v", got)
	}
}

func TestPostCleansAndTargets(t *testing.T) {
	f, _ := newFeed(t, newClock())
	ctx := context.Background()
	exactly := strings.Repeat("x", 280)
	if _, err := f.Post(ctx, announce.Draft{Text: exactly, Level: announce.Info, Boards: []string{"all"}, ExpiresAt: t0.Add(time.Hour)}, "a"); err != nil {
		t.Fatalf("280 characters refused: %v", err)
	}
	a, err := f.Post(ctx, announce.Draft{Text: "  CRM\n\tis \u202edown\u200b  ", Level: announce.Urgent, Boards: []string{"lobby", "lobby"}, ExpiresAt: t0.Add(time.Hour)}, "maria")
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "CRM is down" || len(a.Boards) != 1 || a.Boards[0] != "lobby" || a.By != "maria" || !a.PostedAt.Equal(t0) {
		t.Errorf("posted %+v, want cleaned text on lobby only", a)
	}
	if got := f.Active("floor"); len(got) != 1 || got[0].Text != exactly {
		t.Errorf("floor shows %+v, want the all-boards one only", got)
	}
	if got := f.Active("lobby"); len(got) != 2 || got[0].ID != a.ID {
		t.Errorf("lobby shows %+v, want both, urgent first", got)
	}
}

func TestWithdraw(t *testing.T) {
	f, st := newFeed(t, newClock())
	ctx := context.Background()
	a, err := f.Post(ctx, announce.Draft{Text: "hi", Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}, "a")
	if err != nil {
		t.Fatal(err)
	}
	v := f.Version()
	if _, err := f.Withdraw(ctx, a.ID, func(announce.Announcement) bool { return false }); !errors.Is(err, announce.ErrNotFound) {
		t.Errorf("Withdraw refused by may = %v, want ErrNotFound", err)
	}
	if _, err := f.Withdraw(ctx, a.ID, func(announce.Announcement) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Withdraw(ctx, a.ID, func(announce.Announcement) bool { return true }); !errors.Is(err, announce.ErrNotFound) {
		t.Errorf("second Withdraw = %v, want ErrNotFound", err)
	}
	if f.Version() == v || len(f.Active("")) != 0 {
		t.Errorf("after Withdraw: version %d (was %d), active %+v", f.Version(), v, f.Active(""))
	}
	if kept, _ := st.List(ctx); len(kept) != 0 {
		t.Errorf("withdrawn announcement still stored: %+v", kept)
	}
}

func TestMaxActive(t *testing.T) {
	f, _ := newFeed(t, newClock())
	ctx := context.Background()
	for i := range announce.MaxActive {
		if _, err := f.Post(ctx, announce.Draft{Text: "n", Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}, "a"); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if _, err := f.Post(ctx, announce.Draft{Text: "one more", Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}, "a"); !errors.Is(err, announce.ErrFull) {
		t.Errorf("post beyond MaxActive = %v, want ErrFull", err)
	}
}

// TestRunExpiresAtTheTime: Run sets its timer for the next expiry, resets it when a
// sooner one is posted, and when it fires removes exactly the expired announcements
// (from memory and store) and signals Changed.
func TestRunExpiresAtTheTime(t *testing.T) {
	c := newClock()
	f, st := newFeed(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); f.Run(ctx) }()
	defer func() { cancel(); <-done }()

	post := func(text string, ttl time.Duration) {
		t.Helper()
		if _, err := f.Post(ctx, announce.Draft{Text: text, Level: announce.Info, ExpiresAt: c.Now().Add(ttl)}, "a"); err != nil {
			t.Fatal(err)
		}
	}
	asked := func(want time.Duration) {
		t.Helper()
		select {
		case d := <-c.asked:
			if d != want {
				t.Fatalf("timer set for %v, want %v", d, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no timer set (want %v)", want)
		}
	}
	post("later", 10*time.Minute)
	asked(10 * time.Minute)
	post("sooner", 2*time.Minute)
	asked(2 * time.Minute)

	changed := f.Changed()
	c.Advance(2 * time.Minute)
	c.fire <- c.Now()
	select {
	case <-changed:
	case <-time.After(20 * time.Second):
		t.Fatal("expiry did not signal Changed")
	}
	if got := f.Active(""); len(got) != 1 || got[0].Text != "later" {
		t.Fatalf("after the first expiry Active = %+v, want only later", got)
	}
	asked(8 * time.Minute)
	if kept, _ := st.List(ctx); len(kept) != 1 || kept[0].Text != "later" {
		t.Errorf("store after expiry: %+v, want only later", kept)
	}
}

// FuzzPostText: whatever is posted, the feed refuses it as invalid or shows text of at
// most MaxText characters, valid UTF-8, without control or bidi characters.
func FuzzPostText(f *testing.F) {
	for _, s := range []string{"CRM is down", "", strings.Repeat("ab ", 100), "\u202egnp.exe", "a\x00b\nc", "\xff\xfe"} {
		f.Add(s)
	}
	feed, _ := newFeed(f, newClock())
	f.Fuzz(func(t *testing.T, text string) {
		a, err := feed.Post(context.Background(), announce.Draft{Text: text, Level: announce.Info, ExpiresAt: t0.Add(time.Hour)}, "f")
		if err != nil {
			if !errors.Is(err, announce.ErrInvalid) && !errors.Is(err, announce.ErrFull) {
				t.Fatalf("Post(%q) = %v, want ErrInvalid or ErrFull", text, err)
			}
			return
		}
		defer feed.Withdraw(context.Background(), a.ID, func(announce.Announcement) bool { return true })
		if !utf8.ValidString(a.Text) || utf8.RuneCountInString(a.Text) > announce.MaxText || a.Text == "" {
			t.Fatalf("Post(%q) shows %q", text, a.Text)
		}
		for _, r := range a.Text {
			if unicode.IsControl(r) || r >= 0x202a && r <= 0x202e {
				t.Fatalf("Post(%q) shows %q with %U", text, a.Text, r)
			}
		}
	})
}
