package simulator

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Config configures a Simulator.
type Config struct {
	// Seed makes the floor and everything that happens on it reproducible.
	Seed int64
	// Speed is simulated seconds per real second in running mode. Zero means 1.
	Speed float64
	// Start is the simulated time after warm-up. Zero means time.Now(). Its location
	// is the floor's time zone (shifts, daily curve, "today").
	Start time.Time
	// WarmUp is simulated time run before Start inside New, so windowed figures and
	// busy agents exist from the first poll. Zero means 1h; negative means none.
	WarmUp time.Duration
	// Manual disables Run: time moves only through Advance (tests).
	Manual bool
	// Floor picks the simulated floor: FloorSmall ("" too) or FloorLarge.
	Floor string
	// Control serves /_sim/ (fault switch and ground truth) for demos and browser tests.
	Control bool
	// Comm100Spelling picks the realTime/Agents field name for ongoing chats:
	// "onGoingChats" (dash15 docs) or "ongoingChats" (developer.comm100.com).
	// Empty means "onGoingChats".
	Comm100Spelling string
	// Comm100 holds the one Comm100 site's credentials.
	Comm100 Comm100Site
	// LivePerson holds the LivePerson account's settings.
	LivePerson LPAccount
	// RateLimit is requests per RateWindow per client IP and vendor before 429.
	// Zero means 300 (Comm100's documented limit); negative means unlimited.
	RateLimit int
	// RateWindow is the sliding rate-limit window. Zero means 5 minutes.
	RateWindow time.Duration
	// Clock is the real-time clock for rate limits, token expiry and Run. Nil means
	// time.Now (tests set it).
	Clock func() time.Time
}

// Comm100Site holds the credentials a Comm100 connector must present.
type Comm100Site struct {
	SiteID   int
	Email    string // agent email: Basic user name and OAuth `email`
	APIKey   string // Basic password
	ClientID string // OAuth client id
	Password string // OAuth password
	// TokenTTL is the lifetime of issued bearer tokens. Zero means 12h (vendor example).
	TokenTTL time.Duration
}

// LPAccount holds the LivePerson account's settings (extended by the LivePerson
// endpoints).
type LPAccount struct {
	AccountID string
	// OAuth 1.0 API key the data endpoints accept.
	ConsumerKey, ConsumerSecret, Token, TokenSecret string
	// OAuth 2.0 client credentials Sentinel accepts.
	ClientID, ClientSecret string
	// TokenTTL is the lifetime of Sentinel tokens. Zero means 1h (vendor example).
	TokenTTL time.Duration
}

// DefaultCredentials returns a demo configuration with credentials for both vendors,
// so the dashboard can start the built-in simulator and its connectors together.
func DefaultCredentials() Config {
	return Config{
		Seed: 1,
		Comm100: Comm100Site{
			SiteID: 10000, Email: "demo@example.com", APIKey: "demo-api-key",
			ClientID: "demo-client", Password: "demo-password",
		},
		LivePerson: LPAccount{
			AccountID: "12345678", ConsumerKey: "demo-app-key", ConsumerSecret: "demo-app-secret",
			Token: "demo-access-token", TokenSecret: "demo-access-token-secret",
			ClientID: "demo-lp-client", ClientSecret: "demo-lp-client-secret",
		},
	}
}

// Simulator is a simulated contact center serving vendor APIs. It is safe for
// concurrent use.
type Simulator struct {
	cfg   Config
	clock func() time.Time // real time: rate limits, token expiry, Run

	mu      sync.Mutex
	w       *World
	pending time.Duration // simulated time not yet stepped (less than one step)

	http *httpState
}

// New builds the floor for cfg.Seed, warms it up and returns the simulator at
// cfg.Start.
func New(cfg Config) *Simulator {
	if cfg.Speed <= 0 {
		cfg.Speed = 1
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Now()
	}
	cfg.Start = cfg.Start.Truncate(time.Second)
	if cfg.WarmUp == 0 {
		cfg.WarmUp = time.Hour
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 300
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = 5 * time.Minute
	}
	if cfg.Comm100.TokenTTL <= 0 {
		cfg.Comm100.TokenTTL = 12 * time.Hour
	}
	if cfg.Comm100Spelling == "" {
		cfg.Comm100Spelling = "onGoingChats"
	}

	seed := uint64(cfg.Seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	warm := max(cfg.WarmUp, 0).Truncate(step)
	begin := cfg.Start.Add(-warm)
	w := &World{
		Now: begin, rng: rng, loc: cfg.Start.Location(), day: midnight(begin),
		started: begin, Today: map[Vendor]*DayStats{}, Totals: map[Vendor]*Totals{},
	}
	floorFor(cfg.Floor)(w, rng)
	w.openFloor()
	for range int(warm / step) {
		w.stepOnce()
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	s := &Simulator{cfg: cfg, clock: clock, w: w, http: newHTTPState()}

	return s
}

// openFloor logs in the agents whose shift covers the start time, so the first step
// does not see the whole shift arrive at once.
func (w *World) openFloor() {
	local := w.Now.In(w.loc)
	for _, a := range w.Agents {
		if a.inShift(local) {
			a.Status, a.Since = StatusOnline, w.Now
			// Agents already past lunch time when the floor opens have had lunch.
			a.lunched = local.Hour() >= 14
		}
	}
}

// Now returns the simulated time.
func (s *Simulator) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Now
}

// Advance moves simulated time forward by d in whole steps; a remainder under one step
// is kept for the next call. Same seed and same Advance calls give the same state.
func (s *Simulator) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceLocked(d)
}

func (s *Simulator) advanceLocked(d time.Duration) {
	if d <= 0 {
		return
	}
	s.pending += d
	for s.pending >= step {
		s.pending -= step
		s.w.stepOnce()
	}
}

// View calls fn with the world under the simulator's lock. fn must not block, keep
// references after it returns, or draw from the world's random source.
func (s *Simulator) View(fn func(w *World)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.w)
}

// RealNow is the real time by Config.Clock: what vendor routes check token expiry
// and request timestamps against.
func (s *Simulator) RealNow() time.Time { return s.clock() }

// Config returns the configuration with defaults filled in.
func (s *Simulator) Config() Config { return s.cfg }

// Run advances simulated time with real time × Speed until ctx is done. In Manual
// mode it returns at once.
func (s *Simulator) Run(ctx context.Context) {
	if s.cfg.Manual {
		return
	}
	const tick = 100 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	last := s.clock()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := s.clock()
		real := now.Sub(last)
		last = now
		// A stalled process (laptop sleep) must not replay hours in one go.
		real = min(real, 10*time.Second)
		s.Advance(time.Duration(float64(real) * s.cfg.Speed))
	}
}
