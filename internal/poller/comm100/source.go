package comm100

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Config configures one Comm100 Live Chat site. Each field is named after its
// YAML key in the source's comm100 section (base_url → BaseURL), and New's errors
// name that key (field.Errorf("site_id", …)) relative to the section, so the caller
// only adds the section's path (field.Within("sources[0].comm100", err)). Exactly one
// auth method must be set: api_key, or client_id with password.
type Config struct {
	// ID is the source id (the source's own id key, outside this section); ""
	// means "comm100". Skill and agent keys are snapshot.Key(ID, vendorID).
	ID string
	// BaseURL (base_url) is the API base including the version, e.g.
	// https://api15.comm100.io/v4.
	BaseURL string
	// TokenURL (token_url) is the OAuth token endpoint, e.g.
	// https://dash15.comm100.io/oauth/token. Only used with OAuth.
	TokenURL string
	// SiteID (site_id) is the Comm100 site; required with API key auth (sent as siteId).
	SiteID int
	// Email (email) is the agent email: the Basic username with an API key, the
	// `email` field of the OAuth password grant.
	Email string
	// APIKey (api_key) selects API key auth (HTTP Basic email:apikey + siteId on
	// every call).
	APIKey string
	// ClientID (client_id) and Password (password) select the OAuth password grant.
	ClientID, Password string
	// PageSize (page_size) is the realTime/Agents page size. Zero means 50.
	PageSize int
	// LookupTTL (lookup_ttl) is how long department, agent and away-status names are
	// cached. Zero means 5m.
	LookupTTL time.Duration
	// Day is when the site's day begins (the source's day key): realTime/Today and
	// the agents' day figures are asked for since its latest reset (utcOffset,
	// startTime). The zero Day is midnight in the server's zone.
	Day snapshot.Day
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Source is the source for one Comm100 site: it polls the v4 real-time reports and
// normalizes them into a snapshot.Part.
type Source struct {
	id       string
	base     *url.URL
	pageSize int
	ttl      time.Duration
	client   *poller.Client
	auth     comm100Auth
	now      func() time.Time
	day      snapshot.Day

	// mu guards the lookups; Poll is called by one scheduler at a time, but a
	// second caller must not corrupt the cache.
	mu      sync.Mutex
	lookups *comm100Lookups
}

// comm100Lookups are the slowly changing names and memberships.
type comm100Lookups struct {
	fetched     time.Time
	departments []c100Department
	agents      map[string]c100GlobalAgent
	away        map[string]c100AwayStatus
}

// Status ids Comm100 uses for the built-in online and offline states (seen in every
// vendor example; away states are GUIDs from global/agentAwayStatuses).
const (
	comm100Online  = "00000000-0000-0000-0000-000000000000"
	comm100Offline = "00000000-0000-0000-0000-000000000002"
)

// maxAgentPages bounds realTime/Agents paging per poll (1,000 agents at the default
// page size), so a vendor that reports pageCount 1e9 costs at most this many requests
// before the poll fails saying so, instead of a third of the request budget.
const maxAgentPages = 20

// New validates cfg and returns the source. c is the client every request (token
// requests included) goes through. A refused value is a *field.Error naming its
// YAML key.
func New(cfg Config, c *poller.Client) (*Source, error) {
	if c == nil {
		return nil, errors.New("comm100: nil client")
	}
	id := cfg.ID
	if id == "" {
		id = "comm100"
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, field.Errorf("base_url", "%v", err)
	}
	if strings.TrimSpace(cfg.Email) == "" {
		return nil, field.Errorf("email", "required: the agent email the API key or OAuth login belongs to")
	}
	auth, err := newAuth(cfg, c)
	if err != nil {
		return nil, err
	}
	s := &Source{id: id, base: base, pageSize: cfg.PageSize, ttl: cfg.LookupTTL, client: c, auth: auth, now: time.Now, day: cfg.Day}
	if cfg.Now != nil {
		s.now = cfg.Now
	}
	switch {
	case s.pageSize == 0:
		s.pageSize = 50
	case s.pageSize < 0 || s.pageSize > 1000:
		return nil, field.Errorf("page_size", "%d out of range 1..1000", s.pageSize)
	}
	switch {
	case s.ttl == 0:
		s.ttl = 5 * time.Minute
	case s.ttl < 0:
		return nil, field.Errorf("lookup_ttl", "must not be negative")
	}
	return s, nil
}

// newAuth picks the one configured auth method.
func newAuth(cfg Config, c *poller.Client) (comm100Auth, error) {
	useKey := cfg.APIKey != ""
	useOAuth := cfg.ClientID != "" || cfg.Password != ""
	switch {
	case useKey && useOAuth:
		return nil, field.Errorf("api_key", "set either api_key, or client_id and password, not both")
	case useKey:
		if cfg.SiteID <= 0 {
			return nil, field.Errorf("site_id", "required with api_key auth")
		}
		return &comm100APIKey{email: cfg.Email, key: cfg.APIKey, siteID: cfg.SiteID}, nil
	case useOAuth:
		if cfg.ClientID == "" {
			return nil, field.Errorf("client_id", "OAuth needs both client_id and password")
		}
		if cfg.Password == "" {
			return nil, field.Errorf("password", "OAuth needs both client_id and password")
		}
		if _, err := parseBaseURL(cfg.TokenURL); err != nil {
			return nil, field.Errorf("token_url", "%v", err)
		}
		return newOAuth(c, cfg), nil
	default:
		return nil, field.Errorf("api_key", "no credentials: set api_key, or client_id and password")
	}
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("want an absolute http(s) URL, got %q", redactURL(raw))
	}
	return u, nil
}

// redactURL keeps config errors useful without echoing userinfo or query strings.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		u.User, u.RawQuery = nil, ""
		return u.String()
	}
	return "(unparseable)"
}

// ID returns the source id.
func (s *Source) ID() string { return s.id }

// Kind returns "comm100".
func (s *Source) Kind() string { return "comm100" }

// Poll fetches the real-time reports (and, when stale, the name look-ups) and
// returns the normalized Part. Any failed request fails the whole poll: a Part
// mixing fresh and missing figures would be worse than the last good one.
func (s *Source) Poll(ctx context.Context) (snapshot.Part, error) {
	lk, err := s.lookupsFor(ctx)
	if err != nil {
		return snapshot.Part{}, err
	}
	now := s.now()
	start := s.day.Start(now)
	day := dayQuery(start, now)
	agents, err := s.realTimeAgents(ctx, day)
	if err != nil {
		return snapshot.Part{}, err
	}
	var queue []c100QueueEntry
	if err := s.get(ctx, "livechat/realTime/Queue", "comm100 realTime/Queue", nil, func(b []byte) (err error) {
		queue, err = parseComm100Queue(b)
		return err
	}); err != nil {
		return snapshot.Part{}, err
	}
	var acct snapshot.Account
	acct.Source = s.id
	if err := s.get(ctx, "livechat/realTime/Today", "comm100 realTime/Today", day, func(b []byte) (err error) {
		acct.Today, err = parseComm100Today(b)
		return err
	}); err != nil {
		return snapshot.Part{}, err
	}
	acct.Today.Since = start
	if err := s.get(ctx, "livechat/realTime/RightNow", "comm100 realTime/RightNow", nil, func(b []byte) (err error) {
		acct.RightNow, err = parseComm100RightNow(b)
		return err
	}); err != nil {
		return snapshot.Part{}, err
	}
	// Status names are only needed for ids that are neither built in nor in the
	// away catalogue; asking only then saves a request per poll.
	var names map[string]string
	for _, a := range agents {
		if !lk.knownStatus(a.StatusID) {
			if err := s.get(ctx, "livechat/agents", "comm100 livechat/agents", nil, func(b []byte) (err error) {
				names, err = parseComm100StatusNames(b)
				return err
			}); err != nil {
				return snapshot.Part{}, err
			}
			break
		}
	}
	part := normalizeComm100(s.id, lk, agents, queue, names, acct)
	dayActivity(part.Agents, agents, start, now)
	return part, nil
}

// dayQuery asks a realTime method for the day from start to now: utcOffset is the
// zone's offset in minutes at start ([INFER] minutes; the docs give no unit),
// startTime and endTime wall times in that zone.
func dayQuery(start, now time.Time) url.Values {
	_, off := start.Zone()
	const wall = "2006-01-02T15:04:05"
	return url.Values{"utcOffset": {strconv.Itoa(off / 60)}, "startTime": {start.Format(wall)},
		"endTime": {now.In(start.Location()).Format(wall)}}
}

// dayActivity gives each agent its chat time since the reset
// (intradayLinearChatTime), the one day figure of realTime/Agents beyond the count.
func dayActivity(out []snapshot.Agent, agents []c100Agent, start, now time.Time) {
	chat := make(map[string]snapshot.Opt[time.Duration], len(agents))
	for _, a := range agents {
		chat[a.ID] = a.LinearChatTime
	}
	for i := range out {
		if c := chat[out[i].ID]; c.Known() {
			out[i].Activity = &snapshot.Activity{Window: now.Sub(start), Since: start, Chatting: c}
		}
	}
}

// realTimeAgents reads every page of realTime/Agents. An agent seen twice (lists
// can shift between page requests) is kept once.
func (s *Source) realTimeAgents(ctx context.Context, day url.Values) ([]c100Agent, error) {
	const op = "comm100 realTime/Agents"
	var out []c100Agent
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxAgentPages {
			return nil, &poller.Error{Kind: snapshot.ErrBadResponse, Op: op, Err: fmt.Errorf("%w: %d", poller.ErrPageCap, maxAgentPages)}
		}
		q := url.Values{"pageIndex": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(s.pageSize)}}
		for k, v := range day {
			q[k] = v
		}
		var p c100AgentsPage
		if err := s.get(ctx, "livechat/realTime/Agents", op, q, func(b []byte) (err error) {
			p, err = parseComm100Agents(b)
			return err
		}); err != nil {
			return nil, err
		}
		for _, a := range p.Agents {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
		if page >= p.PageCount || len(p.Agents) == 0 {
			return out, nil
		}
	}
}

// lookupsFor returns the cached look-ups, refreshing them when older than the TTL.
func (s *Source) lookupsFor(ctx context.Context) (*comm100Lookups, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lookups != nil && s.now().Sub(s.lookups.fetched) < s.ttl {
		return s.lookups, nil
	}
	lk := &comm100Lookups{agents: map[string]c100GlobalAgent{}, away: map[string]c100AwayStatus{}}
	if err := s.get(ctx, "global/departments", "comm100 global/departments", nil, func(b []byte) (err error) {
		lk.departments, err = parseComm100Departments(b)
		return err
	}); err != nil {
		return nil, err
	}
	if err := s.get(ctx, "global/agents", "comm100 global/agents", nil, func(b []byte) error {
		list, err := parseComm100GlobalAgents(b)
		for _, a := range list {
			lk.agents[a.ID] = a
		}
		return err
	}); err != nil {
		return nil, err
	}
	if err := s.get(ctx, "global/agentAwayStatuses", "comm100 global/agentAwayStatuses", nil, func(b []byte) error {
		list, err := parseComm100AwayStatuses(b)
		for _, a := range list {
			lk.away[a.ID] = a
		}
		return err
	}); err != nil {
		return nil, err
	}
	lk.fetched = s.now()
	s.lookups = lk
	return lk, nil
}

func (lk *comm100Lookups) knownStatus(id string) bool {
	_, away := lk.away[id]
	return id == comm100Online || id == comm100Offline || away
}

// get sends an authorized GET for path under the base URL and hands a 2xx body to
// parse; a parse failure is a bad response. A 401 drops cached credentials so the
// next poll authenticates afresh.
func (s *Source) get(ctx context.Context, path, op string, query url.Values, parse func([]byte) error) error {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return &poller.Error{Kind: snapshot.ErrRequest, Op: op, Err: errors.New("cannot build request")}
	}
	if err := s.auth.authorize(ctx, req); err != nil {
		return err
	}
	body, err := s.client.Raw(ctx, req, op)
	if err != nil {
		var pe *poller.Error
		if errors.As(err, &pe) && pe.Status == http.StatusUnauthorized {
			s.auth.reject()
		}
		return err
	}
	if err := parse(body); err != nil {
		return &poller.Error{Kind: snapshot.ErrBadResponse, Op: op, Err: err}
	}
	return nil
}

// Check proves the credentials with one authenticated call (after the OAuth token
// request, when the source uses OAuth): the smallest real-time report, RightNow. It
// is `dashboard check-config --online`'s call; its error is the poll's (*poller.Error,
// kind auth for refused credentials).
func (s *Source) Check(ctx context.Context) error {
	return s.get(ctx, "livechat/realTime/RightNow", "comm100 realTime/RightNow", nil, func(b []byte) error {
		_, err := parseComm100RightNow(b)
		return err
	})
}
