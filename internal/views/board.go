package views

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Board is a configured dashboard: which tiles, which skills, which thresholds.
type Board struct {
	// ID names the board in URLs (/wall/{id}); lowercase letters, digits, '-' and '_'.
	ID    string
	Title string
	// Tiles lists the tiles in order; empty means all kinds. Wall and manager pages
	// always show freshness in their header (it is what makes stale data visible),
	// so listing it matters only for embeds.
	Tiles []TileKind
	// Skills lists the skill Keys or names to show; empty means all.
	Skills     []string
	Thresholds Thresholds
	// Public is read by the server's access rules.
	Public bool
}

// TileKind names a kind of tile.
type TileKind string

// Tile kinds.
const (
	TileQueue     TileKind = "queue"     // queue health summary over the board's skills
	TileSkills    TileKind = "skills"    // one tile per skill
	TileAgents    TileKind = "agents"    // agent counts by state and the agent list
	TileToday     TileKind = "today"     // account figures: today and right now
	TileFreshness TileKind = "freshness" // every source's age and errors
)

// AllTiles is every kind, in the default order.
var AllTiles = []TileKind{TileQueue, TileSkills, TileAgents, TileToday, TileFreshness}

// DefaultBoard is the demo's board: all tiles, all skills, default thresholds.
func DefaultBoard() Board {
	return Board{ID: "demo", Title: "Contact center", Public: true}
}

var boardID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Validate reports the first problem with the board, naming the field.
func (b Board) Validate() error {
	if !boardID.MatchString(b.ID) {
		return fmt.Errorf("views: board %q: ID must be 1-64 of a-z, 0-9, '-', '_' starting with a letter or digit", b.ID)
	}
	if strings.TrimSpace(b.Title) == "" {
		return fmt.Errorf("views: board %q: Title is empty", b.ID)
	}
	seen := map[TileKind]bool{}
	for i, k := range b.Tiles {
		if !slices.Contains(AllTiles, k) {
			return fmt.Errorf("views: board %q: Tiles[%d]: unknown tile kind %q (want one of queue, skills, agents, today, freshness)", b.ID, i, k)
		}
		if seen[k] {
			return fmt.Errorf("views: board %q: Tiles[%d]: %q listed twice", b.ID, i, k)
		}
		seen[k] = true
	}
	for i, s := range b.Skills {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("views: board %q: Skills[%d] is empty", b.ID, i)
		}
	}
	if err := b.Thresholds.Validate(); err != nil {
		return fmt.Errorf("views: board %q: %w", b.ID, err)
	}
	return nil
}

// kinds is the board's tile list with the default applied.
func (b Board) kinds() []TileKind {
	if len(b.Tiles) == 0 {
		return AllTiles
	}
	return b.Tiles
}

// Shows reports whether the board shows tiles of kind k (an empty list shows all).
func (b Board) Shows(k TileKind) bool { return slices.Contains(b.kinds(), k) }

// Wants reports whether the board shows skill sk (matched by Key or by name,
// case-insensitive).
func (b Board) Wants(sk snapshot.Skill) bool {
	if len(b.Skills) == 0 {
		return true
	}
	for _, s := range b.Skills {
		if s == sk.Key || strings.EqualFold(s, sk.Name) {
			return true
		}
	}
	return false
}

// Audience is who a page is for.
type Audience string

// Audiences.
const (
	Wall    Audience = "wall"    // TV: huge type, no navigation, never scrolls
	Manager Audience = "manager" // browser: denser, navigation, drill-down, sorting
	Embed   Audience = "embed"   // iframe: no chrome
)

// Agent list sort orders accepted in ?sort=.
const (
	SortState = "state" // available, busy, back soon, away, offline; longest in state first
	SortName  = "name"
	SortTime  = "time" // longest in state first
	SortLoad  = "load" // highest load first
)

var sorts = []string{SortState, SortName, SortTime, SortLoad}

// Variant is one rendering of a board: everyone who sees the same variant gets the
// same bytes, so the server renders once per variant, not once per viewer.
type Variant struct {
	Board    Board
	Audience Audience
	Scope    snapshot.Scope
	// Skill is the drill-down skill Key, or "".
	Skill string
	// Sort is the agent sort; "" means "state".
	Sort string
}

// Key is a canonical string for the variant: equal variants (same board id,
// audience, scope whatever its order, skill, sort with the default applied) give
// equal keys. Parts are query-escaped so no value can forge a separator.
func (v Variant) Key() string {
	return strings.Join([]string{
		url.QueryEscape(v.Board.ID),
		url.QueryEscape(string(v.Audience)),
		url.QueryEscape(v.Scope.Key()),
		url.QueryEscape(v.Skill),
		url.QueryEscape(v.sort()),
	}, "|")
}

func (v Variant) sort() string {
	if v.Sort == "" || v.Audience == Wall {
		// The wall has no sort links; it always lists by state.
		return SortState
	}
	return v.Sort
}

// ErrBadQuery is wrapped by ParseVariantQuery's errors.
var ErrBadQuery = errors.New("bad query")

// ParseVariantQuery reads ?skill= and ?sort= strictly: an unknown sort, a repeated
// parameter or an implausible skill key is an error whose text can be shown to the
// user (the server answers 400 with it).
func ParseVariantQuery(q url.Values) (skill, sort string, err error) {
	one := func(name string) (string, error) {
		vs := q[name]
		switch len(vs) {
		case 0:
			return "", nil
		case 1:
			return vs[0], nil
		}
		return "", fmt.Errorf("%w: %s given %d times", ErrBadQuery, name, len(vs))
	}
	if skill, err = one("skill"); err != nil {
		return "", "", err
	}
	if sort, err = one("sort"); err != nil {
		return "", "", err
	}
	if len(skill) > 200 || strings.ContainsFunc(skill, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", "", fmt.Errorf("%w: skill is not a valid skill key", ErrBadQuery)
	}
	if _, has := q["skill"]; has && skill == "" {
		return "", "", fmt.Errorf("%w: skill is empty", ErrBadQuery)
	}
	if sort != "" && !slices.Contains(sorts, sort) {
		return "", "", fmt.Errorf("%w: unknown sort %q (want state, name, time or load)", ErrBadQuery, sort)
	}
	return skill, sort, nil
}

// Thresholds turn figures into ok / warning / critical. A zero field takes its
// default (given on each field).
type Thresholds struct {
	// WaitingWarn and WaitingCrit: contacts waiting at or above. Defaults 3 and 6.
	WaitingWarn, WaitingCrit int
	// LongestWaitWarn and LongestWaitCrit: longest wait at or above. Defaults 60s, 120s.
	LongestWaitWarn, LongestWaitCrit time.Duration
	// AvgWaitWarn and AvgWaitCrit: average wait at or above. Defaults 30s and 60s.
	AvgWaitWarn, AvgWaitCrit time.Duration
	// ServiceLevelWarn and ServiceLevelCrit: service level (0..1) below. Defaults 0.8, 0.6.
	ServiceLevelWarn, ServiceLevelCrit float64
	// AbandonRateWarn and AbandonRateCrit: abandon rate (0..1) at or above. Defaults 0.05, 0.10.
	AbandonRateWarn, AbandonRateCrit float64
	// ServiceLevelTarget is shown when the vendor gives none. Default 30s.
	ServiceLevelTarget time.Duration
	// StaleAfter: a source whose last success is older is shown stale. Default 45s.
	StaleAfter time.Duration
}

// withDefaults fills every zero field with its default.
func (t Thresholds) withDefaults() Thresholds {
	orDefault(&t.WaitingWarn, 3)
	orDefault(&t.WaitingCrit, 6)
	orDefault(&t.LongestWaitWarn, 60*time.Second)
	orDefault(&t.LongestWaitCrit, 120*time.Second)
	orDefault(&t.AvgWaitWarn, 30*time.Second)
	orDefault(&t.AvgWaitCrit, 60*time.Second)
	orDefault(&t.ServiceLevelWarn, 0.8)
	orDefault(&t.ServiceLevelCrit, 0.6)
	orDefault(&t.AbandonRateWarn, 0.05)
	orDefault(&t.AbandonRateCrit, 0.10)
	orDefault(&t.ServiceLevelTarget, 30*time.Second)
	orDefault(&t.StaleAfter, 45*time.Second)
	return t
}

// orDefault sets *p to d when *p is the zero value.
func orDefault[T comparable](p *T, d T) {
	var zero T
	if *p == zero {
		*p = d
	}
}

// Validate reports the first inconsistent field (after defaults are applied).
func (t Thresholds) Validate() error {
	raw := t
	t = t.withDefaults()
	switch {
	case raw.WaitingWarn < 0 || raw.WaitingCrit < 0:
		return errors.New("thresholds: WaitingWarn/WaitingCrit must not be negative")
	case t.WaitingWarn > t.WaitingCrit:
		return fmt.Errorf("thresholds: WaitingWarn (%d) is above WaitingCrit (%d)", t.WaitingWarn, t.WaitingCrit)
	case raw.LongestWaitWarn < 0 || raw.LongestWaitCrit < 0:
		return errors.New("thresholds: LongestWaitWarn/LongestWaitCrit must not be negative")
	case t.LongestWaitWarn > t.LongestWaitCrit:
		return fmt.Errorf("thresholds: LongestWaitWarn (%s) is above LongestWaitCrit (%s)", t.LongestWaitWarn, t.LongestWaitCrit)
	case raw.AvgWaitWarn < 0 || raw.AvgWaitCrit < 0:
		return errors.New("thresholds: AvgWaitWarn/AvgWaitCrit must not be negative")
	case t.AvgWaitWarn > t.AvgWaitCrit:
		return fmt.Errorf("thresholds: AvgWaitWarn (%s) is above AvgWaitCrit (%s)", t.AvgWaitWarn, t.AvgWaitCrit)
	case t.ServiceLevelWarn < 0 || t.ServiceLevelWarn > 1 || t.ServiceLevelCrit < 0 || t.ServiceLevelCrit > 1:
		return errors.New("thresholds: ServiceLevelWarn/ServiceLevelCrit must be ratios 0..1")
	case t.ServiceLevelCrit > t.ServiceLevelWarn:
		return fmt.Errorf("thresholds: ServiceLevelCrit (%g) is above ServiceLevelWarn (%g); service level is critical below the lower one", t.ServiceLevelCrit, t.ServiceLevelWarn)
	case t.AbandonRateWarn < 0 || t.AbandonRateWarn > 1 || t.AbandonRateCrit < 0 || t.AbandonRateCrit > 1:
		return errors.New("thresholds: AbandonRateWarn/AbandonRateCrit must be ratios 0..1")
	case t.AbandonRateWarn > t.AbandonRateCrit:
		return fmt.Errorf("thresholds: AbandonRateWarn (%g) is above AbandonRateCrit (%g)", t.AbandonRateWarn, t.AbandonRateCrit)
	case raw.ServiceLevelTarget < 0:
		return errors.New("thresholds: ServiceLevelTarget must not be negative")
	case raw.StaleAfter < 0:
		return errors.New("thresholds: StaleAfter must not be negative")
	}
	return nil
}
