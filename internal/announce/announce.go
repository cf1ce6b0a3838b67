package announce

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Level says how an announcement is shown: info in the wall's ticker, urgent as a
// banner above the tiles.
type Level string

// The levels.
const (
	Info   Level = "info"
	Urgent Level = "urgent"
)

// Limits of what may be posted.
const (
	// MaxText is the longest text, in characters, after cleaning.
	MaxText = 280
	// MaxTTL is the furthest an expiry may lie ahead.
	MaxTTL = 7 * 24 * time.Hour
	// MaxActive bounds the announcements active at once (across all boards): state
	// only signed-in people and tokens can grow, and never without bound.
	MaxActive = 50
	// AllBoards, alone in a draft's Boards, means every board (also boards added later).
	AllBoards = "all"
)

// Announcement is one posted message.
type Announcement struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Level Level  `json:"level"`
	// Boards are the board ids it is shown on; empty means every board.
	Boards    []string  `json:"boards"`
	By        string    `json:"by"`
	PostedAt  time.Time `json:"postedAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// On reports whether a is shown on board.
func (a Announcement) On(board string) bool {
	return len(a.Boards) == 0 || slices.Contains(a.Boards, board)
}

// Expired reports whether a has expired at now.
func (a Announcement) Expired(now time.Time) bool { return !now.Before(a.ExpiresAt) }

// Draft is what a poster sends: the text as typed, the level, the boards (empty or
// [AllBoards] for all) and the expiry.
type Draft struct {
	Text      string
	Level     Level
	Boards    []string
	ExpiresAt time.Time
}

// Errors of Feed.
var (
	// ErrInvalid wraps every refusal of a draft; the rest of the message says what to
	// fix and may be shown to the poster.
	ErrInvalid = errors.New("invalid announcement")
	// ErrNotFound: no active announcement with that id (never posted, withdrawn,
	// expired, or on a board the caller may not post to).
	ErrNotFound = errors.New("announce: no such announcement")
	// ErrFull: MaxActive announcements are active already.
	ErrFull = fmt.Errorf("announce: %d announcements are active already; withdraw one first", MaxActive)
)

// check validates d at now against the known boards and returns the announcement it
// makes (without ID, By and PostedAt). Text is cleaned (snapshot.CleanText: no
// control, bidi or zero-width characters, white space collapsed) before its length
// is checked.
func (d Draft) check(now time.Time, known []string) (Announcement, error) {
	text := snapshot.CleanTextLimit(d.Text, MaxText+1)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return Announcement{}, fmt.Errorf("%w: the text is empty", ErrInvalid)
	case n > MaxText:
		return Announcement{}, fmt.Errorf("%w: the text is longer than %d characters", ErrInvalid, MaxText)
	}
	if d.Level != Info && d.Level != Urgent {
		return Announcement{}, fmt.Errorf("%w: level %q: want info or urgent", ErrInvalid, d.Level)
	}
	switch {
	case d.ExpiresAt.IsZero():
		return Announcement{}, fmt.Errorf("%w: it needs an expiry", ErrInvalid)
	case !d.ExpiresAt.After(now):
		return Announcement{}, fmt.Errorf("%w: the expiry %s is not in the future", ErrInvalid, d.ExpiresAt.UTC().Format(time.RFC3339))
	case d.ExpiresAt.Sub(now) > MaxTTL:
		return Announcement{}, fmt.Errorf("%w: the expiry is more than 7 days ahead", ErrInvalid)
	}
	boards, err := checkBoards(d.Boards, known)
	if err != nil {
		return Announcement{}, err
	}
	return Announcement{Text: text, Level: d.Level, Boards: boards, ExpiresAt: d.ExpiresAt.UTC()}, nil
}

// checkBoards returns the sorted, de-duplicated board list (nil = all).
func checkBoards(boards, known []string) ([]string, error) {
	if len(boards) == 0 || len(boards) == 1 && boards[0] == AllBoards {
		return nil, nil
	}
	var out []string
	for _, b := range boards {
		switch {
		case b == AllBoards:
			return nil, fmt.Errorf("%w: %q goes alone, not with other boards", ErrInvalid, AllBoards)
		case !slices.Contains(known, b):
			return nil, fmt.Errorf("%w: unknown board %q", ErrInvalid, snapshot.CleanText(b))
		}
		out = append(out, b)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// newID is "an_" and 8 random bytes in hex.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (Go 1.24+)
	return "an_" + hex.EncodeToString(b)
}

// Store keeps the active announcements so they survive restarts. Implementations:
// internal/bolt (embedded, in data_dir) and internal/redisstore (replicas, which
// call Feed.Reload on its change notification); each must pass storetest.Announcements.
type Store interface {
	// List returns every kept announcement, in any order.
	List(ctx context.Context) ([]Announcement, error)
	// Put writes a, replacing the one with the same ID.
	Put(ctx context.Context, a Announcement) error
	// Delete removes the announcements with ids; an id not kept is not an error.
	Delete(ctx context.Context, ids ...string) error
}
