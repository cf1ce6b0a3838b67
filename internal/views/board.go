package views

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
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
	// SkillThresholds override Thresholds for one skill's figures each
	// (skill_thresholds); sorted by Skill.
	SkillThresholds []SkillThresholds
	// Public is read by the server's access rules.
	Public bool
	// Order is the skill order: OrderSeverity (also ""), OrderName or OrderConfig.
	Order string
	// AgentThresholds flag agents too long in a state on the wall's agent list.
	AgentThresholds AgentThresholds
	// Theme is "dark" or "light" for the wall; "" means dark.
	Theme string
	// Accent is a #rrggbb colour for the board's decorations (header bar, tile
	// edges), never for text, so any colour keeps text contrast; "" is the default.
	Accent string
	// LogoURL is the board's logo as the page loads it (same origin); "" for none.
	LogoURL string
	// LogoFile, when set, is the logo's file (in data_dir; LogoURL is then
	// LogoFileURL): the server reads and serves it.
	LogoFile string
	// ShowTranscripts (show_transcripts) lets the drill-down's conversations list
	// show the latest customer message. False (the default) shows no conversation
	// text at all, and none is fetched for this board.
	ShowTranscripts bool
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

// Validate reports every problem with the board as field errors named by the config
// file's keys (id, title, tiles[1], thresholds.waiting_warn); the caller adds where the
// board sits in the file (field.Within("boards[0]", err)).
func (b Board) Validate() error {
	var errs []error
	if !boardID.MatchString(b.ID) {
		errs = append(errs, field.Errorf("id", "%q: use 1-64 lowercase letters, digits, '-' and '_', starting with a letter or digit (it is the board's URL name)", b.ID))
	}
	if strings.TrimSpace(b.Title) == "" {
		errs = append(errs, field.Errorf("title", "is empty"))
	}
	seen := map[TileKind]bool{}
	for i, k := range b.Tiles {
		switch {
		case !slices.Contains(AllTiles, k):
			errs = append(errs, field.Errorf(fmt.Sprintf("tiles[%d]", i), "unknown tile %q (queue, skills, agents, today, freshness)", k))
		case seen[k]:
			errs = append(errs, field.Errorf(fmt.Sprintf("tiles[%d]", i), "%q listed twice", k))
		}
		seen[k] = true
	}
	for i, s := range b.Skills {
		if strings.TrimSpace(s) == "" {
			errs = append(errs, field.Errorf(fmt.Sprintf("skills[%d]", i), "is empty"))
		}
	}
	if b.ShowTranscripts && b.Public {
		errs = append(errs, field.Errorf("show_transcripts", "not on a public board: anyone could read customers' messages"))
	}
	errs = append(errs, field.Within("thresholds", b.Thresholds.Validate()))
	errs = append(errs, b.validateSkillThresholds()...)
	errs = append(errs, b.validateLook()...)
	return errors.Join(errs...)
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
	// Size is the wall's size class ("" means SizeHD); ignored off the wall.
	Size Size
	// Reserve is the height in rem the wall's banners take (WallReserve): the layout
	// lists fewer agents and skill rows to leave it. Not part of Key: it follows the
	// alerts and announcements of the moment, and every screen of the variant shares it.
	Reserve float64
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
		url.QueryEscape(string(v.size())),
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
	// CSATWarn and CSATCrit: messaging CSAT (0..1) below. Defaults 0.8 and 0.6.
	CSATWarn, CSATCrit float64
	// FirstResponseWarn and FirstResponseCrit: messaging time to first response at or
	// above. Defaults 5m and 15m.
	FirstResponseWarn, FirstResponseCrit time.Duration
	// ResponseTimeWarn and ResponseTimeCrit: messaging average response time at or
	// above. Defaults 2m and 5m.
	ResponseTimeWarn, ResponseTimeCrit time.Duration
	// ServiceLevelTarget is shown when the vendor gives none. Default 30s.
	ServiceLevelTarget time.Duration
	// StaleAfter: a source whose last success is older is shown stale. Default 45s.
	StaleAfter time.Duration
}

// WithDefaults returns t with every zero field set to its default (the alert rules
// take their thresholds from it).
func (t Thresholds) WithDefaults() Thresholds { return t.withDefaults() }

// defaultThresholds are the defaults the field comments give.
var defaultThresholds = Thresholds{
	WaitingWarn: 3, WaitingCrit: 6,
	LongestWaitWarn: 60 * time.Second, LongestWaitCrit: 120 * time.Second,
	AvgWaitWarn: 30 * time.Second, AvgWaitCrit: 60 * time.Second,
	ServiceLevelWarn: 0.8, ServiceLevelCrit: 0.6,
	AbandonRateWarn: 0.05, AbandonRateCrit: 0.10,
	CSATWarn: 0.8, CSATCrit: 0.6,
	FirstResponseWarn: 5 * time.Minute, FirstResponseCrit: 15 * time.Minute,
	ResponseTimeWarn: 2 * time.Minute, ResponseTimeCrit: 5 * time.Minute,
	ServiceLevelTarget: 30 * time.Second, StaleAfter: 45 * time.Second,
}

// withDefaults fills every zero field with its default.
func (t Thresholds) withDefaults() Thresholds { return t.Over(defaultThresholds) }

// Over returns t with every zero field taken from base: a skill's partial
// thresholds over its board's.
func (t Thresholds) Over(base Thresholds) Thresholds {
	orDefault(&t.WaitingWarn, base.WaitingWarn)
	orDefault(&t.WaitingCrit, base.WaitingCrit)
	orDefault(&t.LongestWaitWarn, base.LongestWaitWarn)
	orDefault(&t.LongestWaitCrit, base.LongestWaitCrit)
	orDefault(&t.AvgWaitWarn, base.AvgWaitWarn)
	orDefault(&t.AvgWaitCrit, base.AvgWaitCrit)
	orDefault(&t.ServiceLevelWarn, base.ServiceLevelWarn)
	orDefault(&t.ServiceLevelCrit, base.ServiceLevelCrit)
	orDefault(&t.AbandonRateWarn, base.AbandonRateWarn)
	orDefault(&t.AbandonRateCrit, base.AbandonRateCrit)
	orDefault(&t.CSATWarn, base.CSATWarn)
	orDefault(&t.CSATCrit, base.CSATCrit)
	orDefault(&t.FirstResponseWarn, base.FirstResponseWarn)
	orDefault(&t.FirstResponseCrit, base.FirstResponseCrit)
	orDefault(&t.ResponseTimeWarn, base.ResponseTimeWarn)
	orDefault(&t.ResponseTimeCrit, base.ResponseTimeCrit)
	orDefault(&t.ServiceLevelTarget, base.ServiceLevelTarget)
	orDefault(&t.StaleAfter, base.StaleAfter)
	return t
}

// orDefault sets *p to d when *p is the zero value.
func orDefault[T comparable](p *T, d T) {
	var zero T
	if *p == zero {
		*p = d
	}
}

// Validate reports every inconsistent threshold (after defaults are applied) as field
// errors named by the config keys (waiting_warn, service_level_crit, …).
func (t Thresholds) Validate() error {
	raw := t
	t = t.withDefaults()
	var errs []error
	bad := func(key, format string, a ...any) { errs = append(errs, field.Errorf(key, format, a...)) }
	pair := func(name string, rawWarn, rawCrit, warn, crit time.Duration) {
		switch {
		case rawWarn < 0:
			bad(name+"_warn", "must not be negative")
		case rawCrit < 0:
			bad(name+"_crit", "must not be negative")
		case warn > crit:
			bad(name+"_warn", "%s is above %s_crit (%s)", warn, name, crit)
		}
	}
	pair("longest_wait", raw.LongestWaitWarn, raw.LongestWaitCrit, t.LongestWaitWarn, t.LongestWaitCrit)
	pair("avg_wait", raw.AvgWaitWarn, raw.AvgWaitCrit, t.AvgWaitWarn, t.AvgWaitCrit)
	pair("first_response", raw.FirstResponseWarn, raw.FirstResponseCrit, t.FirstResponseWarn, t.FirstResponseCrit)
	pair("response_time", raw.ResponseTimeWarn, raw.ResponseTimeCrit, t.ResponseTimeWarn, t.ResponseTimeCrit)
	switch {
	case raw.WaitingWarn < 0:
		bad("waiting_warn", "must not be negative")
	case raw.WaitingCrit < 0:
		bad("waiting_crit", "must not be negative")
	case t.WaitingWarn > t.WaitingCrit:
		bad("waiting_warn", "%d is above waiting_crit (%d)", t.WaitingWarn, t.WaitingCrit)
	}
	ratios := []struct {
		key string
		v   float64
	}{
		{"service_level_warn", t.ServiceLevelWarn}, {"service_level_crit", t.ServiceLevelCrit},
		{"abandon_rate_warn", t.AbandonRateWarn}, {"abandon_rate_crit", t.AbandonRateCrit},
		{"csat_warn", t.CSATWarn}, {"csat_crit", t.CSATCrit},
	}
	inRange := true
	for _, r := range ratios {
		if r.v < 0 || r.v > 1 {
			bad(r.key, "must be a ratio between 0 and 1, e.g. 0.8 for 80%% (got %g)", r.v)
			inRange = false
		}
	}
	if inRange && t.ServiceLevelCrit > t.ServiceLevelWarn {
		bad("service_level_crit", "%g is above service_level_warn (%g); service level is critical below the lower one", t.ServiceLevelCrit, t.ServiceLevelWarn)
	}
	if inRange && t.CSATCrit > t.CSATWarn {
		bad("csat_crit", "%g is above csat_warn (%g); CSAT is critical below the lower one", t.CSATCrit, t.CSATWarn)
	}
	if inRange && t.AbandonRateWarn > t.AbandonRateCrit {
		bad("abandon_rate_warn", "%g is above abandon_rate_crit (%g)", t.AbandonRateWarn, t.AbandonRateCrit)
	}
	if raw.ServiceLevelTarget < 0 {
		bad("service_level_target", "must not be negative")
	}
	if raw.StaleAfter < 0 {
		bad("stale_after", "must not be negative")
	}
	return errors.Join(errs...)
}

// Embed themes accepted in ?theme=.
var themes = []string{"dark", "light", "transparent"}

// ParseTheme reads an embed's ?theme= strictly: absent is "" (the default look); an
// unknown or repeated value is an error whose text can be shown to the user.
func ParseTheme(q url.Values) (string, error) {
	vs, ok := q["theme"]
	switch {
	case !ok:
		return "", nil
	case len(vs) != 1:
		return "", fmt.Errorf("%w: theme given %d times", ErrBadQuery, len(vs))
	case !slices.Contains(themes, vs[0]):
		return "", fmt.Errorf("%w: unknown theme %q (want dark, light or transparent)", ErrBadQuery, vs[0])
	}
	return vs[0], nil
}

// ValidateBoards reports every problem of a board set as field errors placed at
// boards[i] (Board.Validate), plus ids used twice: what a board editor or a
// reloaded config must pass before the server swaps its boards.
func ValidateBoards(boards []Board) error {
	var errs []error
	seen := map[string]bool{}
	for i, b := range boards {
		at := fmt.Sprintf("boards[%d]", i)
		errs = append(errs, field.Within(at, b.Validate()))
		if seen[b.ID] {
			errs = append(errs, field.Errorf(at+".id", "duplicate board id %q", b.ID))
		}
		seen[b.ID] = true
	}
	return errors.Join(errs...)
}
