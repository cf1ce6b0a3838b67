package poller

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

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Comm100Config configures one Comm100 Live Chat site. Exactly one auth method must
// be set: APIKey, or ClientID with Password.
type Comm100Config struct {
	// ID is the source id; "" means "comm100". Skill and agent keys are
	// snapshot.Key(ID, vendorID).
	ID string
	// BaseURL is the API base including the version, e.g. https://api15.comm100.io/v4.
	BaseURL string
	// TokenURL is the OAuth token endpoint, e.g. https://dash15.comm100.io/oauth/token.
	// Only used with OAuth.
	TokenURL string
	// SiteID is the Comm100 site; required with API key auth (sent as siteId).
	SiteID int
	// Email is the agent email: the Basic username with an API key, the `email`
	// field of the OAuth password grant.
	Email string
	// APIKey selects API key auth (HTTP Basic email:apikey + siteId on every call).
	APIKey string
	// ClientID and Password select the OAuth password grant.
	ClientID, Password string
	// PageSize is the realTime/Agents page size. Zero means 50.
	PageSize int
	// LookupTTL is how long department, agent and away-status names are cached.
	// Zero means 5m.
	LookupTTL time.Duration
}

// Comm100 is the source for one Comm100 site: it polls the v4 real-time reports and
// normalizes them into a snapshot.Part.
type Comm100 struct {
	id       string
	base     *url.URL
	pageSize int
	ttl      time.Duration
	client   *Client
	auth     comm100Auth
	now      func() time.Time

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

// maxAgentPages bounds paging so a vendor that always reports one more page cannot
// keep a poll busy for ever.
const maxAgentPages = 100

// NewComm100 validates cfg and returns the source. c is the client every request
// (token requests included) goes through.
func NewComm100(cfg Comm100Config, c *Client) (*Comm100, error) {
	if c == nil {
		return nil, errors.New("comm100: nil client")
	}
	id := cfg.ID
	if id == "" {
		id = "comm100"
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("comm100 %s: BaseURL: %w", id, err)
	}
	if strings.TrimSpace(cfg.Email) == "" {
		return nil, fmt.Errorf("comm100 %s: Email is required", id)
	}
	useKey := cfg.APIKey != ""
	useOAuth := cfg.ClientID != "" || cfg.Password != ""
	s := &Comm100{id: id, base: base, pageSize: cfg.PageSize, ttl: cfg.LookupTTL, client: c, now: time.Now}
	switch {
	case useKey && useOAuth:
		return nil, fmt.Errorf("comm100 %s: set either APIKey or ClientID+Password, not both", id)
	case useKey:
		if cfg.SiteID <= 0 {
			return nil, fmt.Errorf("comm100 %s: SiteID is required with API key auth", id)
		}
		s.auth = &comm100APIKey{email: cfg.Email, key: cfg.APIKey, siteID: cfg.SiteID}
	case useOAuth:
		if cfg.ClientID == "" || cfg.Password == "" {
			return nil, fmt.Errorf("comm100 %s: OAuth needs both ClientID and Password", id)
		}
		if _, err := parseBaseURL(cfg.TokenURL); err != nil {
			return nil, fmt.Errorf("comm100 %s: TokenURL: %w", id, err)
		}
		s.auth = &comm100OAuth{client: c, tokenURL: cfg.TokenURL, now: time.Now, form: url.Values{
			"grant_type": {"password"}, "email": {cfg.Email}, "password": {cfg.Password}, "client_id": {cfg.ClientID},
		}}
	default:
		return nil, fmt.Errorf("comm100 %s: no credentials: set APIKey, or ClientID and Password", id)
	}
	switch {
	case s.pageSize == 0:
		s.pageSize = 50
	case s.pageSize < 0 || s.pageSize > 1000:
		return nil, fmt.Errorf("comm100 %s: PageSize %d out of range 1..1000", id, s.pageSize)
	}
	switch {
	case s.ttl == 0:
		s.ttl = 5 * time.Minute
	case s.ttl < 0:
		return nil, fmt.Errorf("comm100 %s: negative LookupTTL", id)
	}
	return s, nil
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
func (s *Comm100) ID() string { return s.id }

// Kind returns "comm100".
func (s *Comm100) Kind() string { return "comm100" }

// Poll fetches the real-time reports (and, when stale, the name look-ups) and
// returns the normalized Part. Any failed request fails the whole poll: a Part
// mixing fresh and missing figures would be worse than the last good one.
func (s *Comm100) Poll(ctx context.Context) (snapshot.Part, error) {
	lk, err := s.lookupsFor(ctx)
	if err != nil {
		return snapshot.Part{}, err
	}
	agents, err := s.realTimeAgents(ctx)
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
	if err := s.get(ctx, "livechat/realTime/Today", "comm100 realTime/Today", nil, func(b []byte) (err error) {
		acct.Today, err = parseComm100Today(b)
		return err
	}); err != nil {
		return snapshot.Part{}, err
	}
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
	return normalizeComm100(s.id, lk, agents, queue, names, acct), nil
}

// realTimeAgents reads every page of realTime/Agents. An agent seen twice (lists
// can shift between page requests) is kept once.
func (s *Comm100) realTimeAgents(ctx context.Context) ([]c100Agent, error) {
	const op = "comm100 realTime/Agents"
	var out []c100Agent
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if page > maxAgentPages {
			return nil, &Error{Kind: snapshot.ErrBadResponse, Op: op, Err: fmt.Errorf("more than %d pages", maxAgentPages)}
		}
		q := url.Values{"pageIndex": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(s.pageSize)}}
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
func (s *Comm100) lookupsFor(ctx context.Context) (*comm100Lookups, error) {
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
func (s *Comm100) get(ctx context.Context, path, op string, query url.Values, parse func([]byte) error) error {
	u := *s.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return &Error{Kind: snapshot.ErrRequest, Op: op, Err: errors.New("cannot build request")}
	}
	if err := s.auth.authorize(ctx, req); err != nil {
		return err
	}
	body, err := s.client.Raw(ctx, req, op)
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.Status == http.StatusUnauthorized {
			s.auth.reject()
		}
		return err
	}
	if err := parse(body); err != nil {
		return &Error{Kind: snapshot.ErrBadResponse, Op: op, Err: err}
	}
	return nil
}
