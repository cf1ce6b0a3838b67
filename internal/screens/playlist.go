package screens

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

// MinDuration is the shortest time a playlist entry may show: shorter would flicker
// and render more than the screens can read.
const MinDuration = 5 * time.Second

// MaxEntries bounds a playlist; a rotation longer than that is not a wallboard.
const MaxEntries = 50

// Entry is one board of a playlist.
type Entry struct {
	// Board is the board id shown.
	Board string `json:"board"`
	// Duration is how long it shows per turn (≥ MinDuration).
	Duration time.Duration `json:"duration"`
	// Window, if set, limits the entry to a time of day (local time of the server).
	Window Window `json:"window,omitzero"`
}

// Playlist is a named list of boards a screen shows in turn.
type Playlist struct {
	ID      string  `json:"id"`
	Title   string  `json:"title,omitempty"`
	Entries []Entry `json:"entries"`
	// PinOnAlert pins the screen to the first board of the playlist with an alert
	// shown until it clears.
	PinOnAlert bool `json:"pin_on_alert,omitempty"`
}

// Window is a time of day, [From, To) in minutes after midnight; To < From wraps
// past midnight (22:00–06:00). The zero Window is "always".
type Window struct {
	From, To int // minutes after midnight
	Set      bool
}

// IsZero reports the always-open window (for JSON's omitzero).
func (w Window) IsZero() bool { return !w.Set }

// Open reports whether the window holds the time of day of t.
func (w Window) Open(t time.Time) bool {
	if !w.Set {
		return true
	}
	m := t.Hour()*60 + t.Minute()
	if w.From <= w.To {
		return m >= w.From && m < w.To
	}
	return m >= w.From || m < w.To
}

// String is the window as written in the config, "08:00-18:00", or "".
func (w Window) String() string {
	if !w.Set {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.From/60, w.From%60, w.To/60, w.To%60)
}

// MarshalText writes the window as String does.
func (w Window) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText reads what ParseWindow reads.
func (w *Window) UnmarshalText(b []byte) error {
	v, err := ParseWindow(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

var windowRE = regexp.MustCompile(`^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]|24):([0-5]\d)$`)

// ParseWindow reads "HH:MM-HH:MM" (24-hour; "24:00" ends at midnight; an end before
// the start wraps past midnight). An empty string is the always-open window.
func ParseWindow(s string) (Window, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Window{}, nil
	}
	m := windowRE.FindStringSubmatch(s)
	if m == nil {
		return Window{}, fmt.Errorf("%q: want HH:MM-HH:MM, e.g. 08:00-18:00", s)
	}
	from := atoi2(m[1])*60 + atoi2(m[2])
	to := atoi2(m[3])*60 + atoi2(m[4])
	if to > 24*60 {
		return Window{}, fmt.Errorf("%q: the end is past 24:00", s)
	}
	if to == 24*60 {
		to = 0
	}
	if from == to {
		return Window{}, fmt.Errorf("%q: the window is empty; leave it out to show the board all day", s)
	}
	return Window{From: from, To: to, Set: true}, nil
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidID reports whether id can name a playlist (the same rule as board ids).
func ValidID(id string) bool { return idRE.MatchString(id) }

// Validate checks p against the boards that exist (known), returning field errors
// named like the config ("id", "boards[1].board"): the config names a playlist's
// entries "boards".
func (p Playlist) Validate(known func(board string) bool) error {
	var errs []error
	if !ValidID(p.ID) {
		errs = append(errs, field.Errorf("id", "%q: use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit", p.ID))
	}
	if len(p.Title) > 200 {
		errs = append(errs, field.Errorf("title", "at most 200 characters"))
	}
	switch {
	case len(p.Entries) == 0:
		errs = append(errs, field.Errorf("boards", "a playlist needs at least one board"))
	case len(p.Entries) > MaxEntries:
		errs = append(errs, field.Errorf("boards", "at most %d boards (got %d)", MaxEntries, len(p.Entries)))
	}
	for i, e := range p.Entries {
		at := fmt.Sprintf("boards[%d]", i)
		if e.Board == "" {
			errs = append(errs, field.Errorf(at+".board", "required"))
		} else if !known(e.Board) {
			errs = append(errs, field.Errorf(at+".board", "%q: no board has this id", e.Board))
		}
		if e.Duration < MinDuration {
			errs = append(errs, field.Errorf(at+".duration", "must be at least %s (got %s)", MinDuration, e.Duration))
		}
	}
	return errors.Join(errs...)
}

// Boards lists the playlist's board ids in order, each once.
func (p Playlist) Boards() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range p.Entries {
		if !seen[e.Board] {
			seen[e.Board] = true
			out = append(out, e.Board)
		}
	}
	return out
}

// Has reports whether board is one of the playlist's boards.
func (p Playlist) Has(board string) bool {
	for _, e := range p.Entries {
		if e.Board == board {
			return true
		}
	}
	return false
}

// At returns the board the playlist shows at t.
//
// The position is derived from the wall clock alone — nanoseconds since the Unix
// epoch modulo the length of one turn of the entries whose window is open at t — so
// every screen on a playlist shows the same board at the same moment, and a screen
// that reconnects or a server that restarts lands on the board it would have shown
// anyway. When no entry's window is open, the first entry shows. With PinOnAlert,
// inAlert (nil = none) names boards with an alert shown: the first of the
// playlist's boards in alert is shown instead, for as long as it is.
func (p Playlist) At(t time.Time, inAlert func(board string) bool) string {
	if len(p.Entries) == 0 {
		return ""
	}
	if p.PinOnAlert && inAlert != nil {
		for _, e := range p.Entries {
			if inAlert(e.Board) {
				return e.Board
			}
		}
	}
	var cycle time.Duration
	for _, e := range p.Entries {
		if e.Window.Open(t) && e.Duration > 0 {
			cycle += e.Duration
		}
	}
	if cycle == 0 {
		return p.Entries[0].Board
	}
	pos := time.Duration(t.UnixNano() % int64(cycle))
	if pos < 0 {
		pos += cycle
	}
	for _, e := range p.Entries {
		if !e.Window.Open(t) || e.Duration <= 0 {
			continue
		}
		if pos < e.Duration {
			return e.Board
		}
		pos -= e.Duration
	}
	return p.Entries[0].Board // unreachable: pos < cycle
}

// ErrUnknownPlaylist means no stored playlist has that id.
var ErrUnknownPlaylist = errors.New("screens: unknown playlist")

// Store keeps the playlists made on the screens page (the config's are not in it).
// Implementations are safe for concurrent use, live in internal/bolt (embedded) and
// pass storetest.Playlists.
type Store interface {
	// List returns every stored playlist, by id.
	List(ctx context.Context) ([]Playlist, error)
	// Put creates or replaces the playlist with p.ID. The caller validates p.
	Put(ctx context.Context, p Playlist) error
	// Delete removes a playlist: ErrUnknownPlaylist if there is none.
	Delete(ctx context.Context, id string) error
}
