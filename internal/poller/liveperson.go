package poller

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// LivePerson method families a source can poll.
const (
	LPFamilyChat      = "chat"      // Operational Realtime: queuestate, queuehealth, engactivity, sla
	LPFamilyMessaging = "messaging" // Messaging Operations: msgqueuehealth/current, msgconversation, EWT; KMM metrics
	LPFamilyAgents    = "agents"    // KMM agent_view or Agent Metrics status
)

// LivePersonConfig configures one LivePerson account.
type LivePersonConfig struct {
	// ID is the source id; skill and agent keys start with it. Empty means "liveperson".
	ID string
	// AccountID is the LivePerson site id. Required.
	AccountID string
	// DomainURL is the Domain API base. Empty means https://api.liveperson.net.
	DomainURL string
	// Hosts pins service hosts by Domain API service name ("leDataReporting":
	// "127.0.0.1:8081"); a pinned service is never looked up.
	Hosts map[string]string
	// Insecure uses http:// for service hosts (simulator, tests). False means https.
	Insecure bool
	// DomainTTL is how long discovered hosts are cached. Zero means 600s.
	DomainTTL time.Duration

	// OAuth 1.0 API key (all four), or OAuth 2.0 client credentials (both).
	ConsumerKey, ConsumerSecret, Token, TokenSecret string
	ClientID, ClientSecret                          string

	// Timeframe is the OpRT/MsgOps window in minutes (1..1440). Zero means 60.
	Timeframe int
	// Interval is the OpRT queue-health interval in minutes: at least 5, at most
	// Timeframe and a divisor of it. Zero means 30 (or Timeframe when that is < 30).
	Interval int
	// SLATarget is the chat answer-time target. Zero means 30s. Must be a multiple
	// of 5s (the SLA histogram's bucket granularity).
	SLATarget time.Duration
	// SLATargets overrides SLATarget per skill id.
	SLATargets map[string]time.Duration
	// AgentSource is "kmm" (Key Messaging Metrics agent_view) or "agentmetrics"
	// (Agent Metrics status, for accounts without KMM). Empty means "kmm".
	AgentSource string
	// Families lists the method families to poll (LPFamily*). Empty means all.
	Families []string
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// LivePerson is a Source for one LivePerson account.
type LivePerson struct {
	cfg     LivePersonConfig
	c       *Client
	domains *lpDomains
	oauth1  *OAuth1
	tokens  *SentinelTokens
	now     func() time.Time
	names   *lpNamesCache
}

// NewLivePerson validates cfg and returns the source. A configuration the vendor
// would refuse (timeframe, interval, SLA histogram bounds) is an error naming the
// key, so it is caught at start-up and not as a 400 on every poll.
func NewLivePerson(cfg LivePersonConfig, c *Client) (*LivePerson, error) {
	if cfg.ID == "" {
		cfg.ID = "liveperson"
	}
	if err := cfg.normalize(); err != nil {
		return nil, fmt.Errorf("liveperson %s: %w", cfg.ID, err)
	}
	if c == nil {
		c = &Client{}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	l := &LivePerson{cfg: cfg, c: c, now: now, names: &lpNamesCache{ttl: cfg.DomainTTL}}
	l.domains = &lpDomains{c: c, base: strings.TrimRight(cfg.DomainURL, "/"), account: cfg.AccountID,
		pinned: cfg.Hosts, ttl: cfg.DomainTTL, now: now}
	if cfg.ConsumerKey != "" {
		l.oauth1 = &OAuth1{ConsumerKey: cfg.ConsumerKey, ConsumerSecret: cfg.ConsumerSecret,
			Token: cfg.Token, TokenSecret: cfg.TokenSecret, Now: now}
	} else {
		l.tokens = NewSentinelTokens(c, cfg.ClientID, cfg.ClientSecret, now)
	}
	return l, nil
}

// normalize applies defaults and validates.
func (cfg *LivePersonConfig) normalize() error {
	if strings.TrimSpace(cfg.AccountID) == "" || strings.ContainsAny(cfg.AccountID, "/?#% ") {
		return errors.New("accountId: required, a plain site id")
	}
	if cfg.DomainURL == "" {
		cfg.DomainURL = "https://api.liveperson.net"
	}
	if u, err := url.Parse(cfg.DomainURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("domainUrl: must be an http(s) URL")
	}
	for svc, h := range cfg.Hosts {
		if !validHost(h) {
			return fmt.Errorf("hosts.%s: %q is not a host[:port]", svc, h)
		}
	}
	if cfg.DomainTTL <= 0 {
		cfg.DomainTTL = 600 * time.Second
	}
	oauth1 := cfg.ConsumerKey != "" || cfg.ConsumerSecret != "" || cfg.Token != "" || cfg.TokenSecret != ""
	oauth2 := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case oauth1 && oauth2:
		return errors.New("auth: set either consumerKey/consumerSecret/token/tokenSecret or clientId/clientSecret, not both")
	case oauth1 && (cfg.ConsumerKey == "" || cfg.ConsumerSecret == "" || cfg.Token == "" || cfg.TokenSecret == ""):
		return errors.New("auth: OAuth 1.0 needs consumerKey, consumerSecret, token and tokenSecret")
	case oauth2 && (cfg.ClientID == "" || cfg.ClientSecret == ""):
		return errors.New("auth: OAuth 2.0 needs clientId and clientSecret")
	case !oauth1 && !oauth2:
		return errors.New("auth: no credentials")
	}
	if cfg.Timeframe == 0 {
		cfg.Timeframe = 60
	}
	if cfg.Timeframe < 1 || cfg.Timeframe > 1440 {
		return fmt.Errorf("timeframe: %d minutes, must be 1..1440", cfg.Timeframe)
	}
	if cfg.Interval == 0 {
		cfg.Interval = min(30, cfg.Timeframe)
		if cfg.Timeframe%cfg.Interval != 0 || cfg.Interval < 5 {
			cfg.Interval = cfg.Timeframe
		}
	}
	if cfg.Interval < 5 || cfg.Interval > cfg.Timeframe || cfg.Timeframe%cfg.Interval != 0 {
		return fmt.Errorf("interval: %d minutes, must be at least 5 and divide timeframe %d", cfg.Interval, cfg.Timeframe)
	}
	if cfg.SLATarget == 0 {
		cfg.SLATarget = 30 * time.Second
	}
	if err := validSLATarget(cfg.SLATarget); err != nil {
		return fmt.Errorf("slaTarget: %w", err)
	}
	for id, d := range cfg.SLATargets {
		if err := validSLATarget(d); err != nil {
			return fmt.Errorf("slaTargets.%s: %w", id, err)
		}
	}
	switch cfg.AgentSource {
	case "":
		cfg.AgentSource = "kmm"
	case "kmm", "agentmetrics":
	default:
		return fmt.Errorf("agentSource: %q, want kmm or agentmetrics", cfg.AgentSource)
	}
	if len(cfg.Families) == 0 {
		cfg.Families = []string{LPFamilyChat, LPFamilyMessaging, LPFamilyAgents}
	}
	for _, f := range cfg.Families {
		if f != LPFamilyChat && f != LPFamilyMessaging && f != LPFamilyAgents {
			return fmt.Errorf("families: unknown family %q", f)
		}
	}
	return nil
}

func validSLATarget(d time.Duration) error {
	if d < 5*time.Second || d > 24*time.Hour || d%(5*time.Second) != 0 {
		return fmt.Errorf("%v: must be a multiple of 5s (histogram buckets), at least 5s", d)
	}
	return nil
}

// ID returns the source id.
func (l *LivePerson) ID() string { return l.cfg.ID }

// Kind returns "liveperson".
func (l *LivePerson) Kind() string { return "liveperson" }

func (l *LivePerson) polls(family string) bool { return slices.Contains(l.cfg.Families, family) }

func (l *LivePerson) slaTarget(skillID string) time.Duration {
	if d, ok := l.cfg.SLATargets[skillID]; ok {
		return d
	}
	return l.cfg.SLATarget
}
