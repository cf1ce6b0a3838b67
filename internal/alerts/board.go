package alerts

import (
	"fmt"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Sound says which alerts make a wall's page play its tone.
type Sound string

// Sound settings (the YAML spellings).
const (
	SoundOff  Sound = "off"
	SoundCrit Sound = "crit" // only critical alerts (the default)
	SoundAll  Sound = "all"
)

// DefaultSoundEvery is how often an unacknowledged alert's tone repeats.
const DefaultSoundEvery = 60 * time.Second

// Board is one board's alerting: its rules and how its alerts live.
type Board struct {
	// ID is the board's id.
	ID string
	// Skills is the board's own skill filter (keys or names); empty means all. Rules
	// never watch skills the board does not show.
	Skills []string
	// Defaults are the board's thresholds per figure (from boards[].thresholds).
	Defaults map[Figure]Limits
	// EscalateAfter escalates an alert nobody acknowledged for this long. Zero never
	// escalates.
	EscalateAfter time.Duration
	// ClearAfter is how long a figure must be back before its alert clears. Zero clears
	// on the first snapshot that is back.
	ClearAfter time.Duration
	// Sound selects the alerts the wall plays a tone for. Empty means crit.
	Sound Sound
	// SoundEvery repeats the tone until the alert is acknowledged or cleared. Zero
	// means 60s.
	SoundEvery time.Duration
	Rules      []Rule
}

// SoundFor reports whether an alert at level lvl plays a tone on this board.
func (b Board) SoundFor(lvl Level) bool {
	switch b.Sound {
	case SoundOff:
		return false
	case SoundAll:
		return true
	}
	return lvl == Crit
}

// SoundInterval is SoundEvery with its default.
func (b Board) SoundInterval() time.Duration {
	if b.SoundEvery <= 0 {
		return DefaultSoundEvery
	}
	return b.SoundEvery
}

// Validate reports the first problem, naming the YAML key below boards[].alerts.
func (b Board) Validate() error {
	switch b.Sound {
	case "", SoundOff, SoundCrit, SoundAll:
	default:
		return field.Errorf("sound", "%q: want off, crit or all", b.Sound)
	}
	if b.SoundEvery < 0 || b.SoundEvery > 0 && b.SoundEvery < time.Second {
		return field.Errorf("sound_every", "must be at least 1s")
	}
	if b.EscalateAfter < 0 {
		return field.Errorf("escalate_after", "must not be negative")
	}
	if b.ClearAfter < 0 {
		return field.Errorf("clear_after", "must not be negative")
	}
	ids := map[string]bool{}
	for i, r := range b.Rules {
		key := fmt.Sprintf("rules[%d]", i)
		if err := r.validate(b.defaultsFor(r.Figure)); err != nil {
			return field.Within(key, err)
		}
		if r.ID == "" || strings.ContainsAny(r.ID, "/ \t\n") {
			return field.Errorf(key+".id", "%q: use letters, digits, '-' and '_'", r.ID)
		}
		if ids[r.ID] {
			return field.Errorf(key+".id", "duplicate rule id %q", r.ID)
		}
		ids[r.ID] = true
	}
	return nil
}

func (b Board) defaultsFor(f Figure) Limits {
	if l, ok := b.Defaults[f]; ok {
		return l
	}
	return Unset()
}

// wants reports whether the board shows skill sk (same matching as the board's views).
func (b Board) wants(sk snapshot.Skill) bool {
	return len(b.Skills) == 0 || matches(b.Skills, sk)
}

// matches reports whether sel names sk by key or by name (case-insensitive), or is "all".
func matches(sel []string, sk snapshot.Skill) bool {
	for _, s := range sel {
		if s == sk.Key || strings.EqualFold(s, sk.Name) || strings.EqualFold(s, "all") {
			return true
		}
	}
	return false
}
