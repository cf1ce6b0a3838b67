package liveperson

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// LivePerson method families a source can poll.
const (
	FamilyChat      = "chat"      // Operational Realtime: queuestate, queuehealth, engactivity, sla
	FamilyMessaging = "messaging" // Messaging Operations: msgqueuehealth/current, msgconversation, EWT; KMM metrics
	FamilyAgents    = "agents"    // KMM agent_view or Agent Metrics status
)

// Agents values: where agent states come from.
const (
	AgentsKMM          = "kmm"           // Key Messaging Metrics agent_view
	AgentsAgentMetrics = "agent_metrics" // Agent Metrics status, for accounts without KMM
)

// Config configures one LivePerson account. Each field a user sets is named after
// its YAML key in the source's liveperson section (app_key → AppKey, bucket →
// Bucket), and New's errors name that key (field.Errorf("sla_target", …)) relative
// to the section, so the caller only adds the section's path
// (field.Within("sources[0].liveperson", err)).
type Config struct {
	// ID is the source id (the source's own id key, outside this section); skill and
	// agent keys start with it. Empty means "liveperson".
	ID string
	// AccountID (account_id) is the LivePerson site id. Required.
	AccountID string
	// DomainURL (domain_url) is the Domain API base. Empty means
	// https://api.liveperson.net.
	DomainURL string
	// Hosts (hosts) pins service hosts by Domain API service name
	// ("leDataReporting": "127.0.0.1:8081"); a pinned service is never looked up.
	Hosts map[string]string
	// Insecure uses http:// for service hosts (simulator, tests). False means https.
	Insecure bool
	// DomainTTL is how long discovered hosts are cached. Zero means 600s.
	DomainTTL time.Duration

	// AppKey, Secret, AccessToken, AccessTokenSecret (app_key, secret, access_token,
	// access_token_secret) are an OAuth 1.0 API key, all four or none.
	AppKey, Secret, AccessToken, AccessTokenSecret string
	// ClientID, ClientSecret (client_id, client_secret) are OAuth 2.0 client
	// credentials, both or none.
	ClientID, ClientSecret string

	// Timeframe (timeframe) is the OpRT/MsgOps window in minutes (1..1440). Zero
	// means 60.
	Timeframe int
	// Bucket (bucket) is the OpRT queue-health interval in minutes: at least 5, at
	// most Timeframe and a divisor of it. Zero means 30 (or Timeframe when that is
	// < 30).
	Bucket int
	// SLATarget (sla_target) is the chat answer-time target. Zero means 30s. Must be
	// a multiple of 5s (the SLA histogram's bucket granularity).
	SLATarget time.Duration
	// SLATargets (sla_targets) overrides SLATarget per skill id.
	SLATargets map[string]time.Duration
	// Agents (agents) is AgentsKMM or AgentsAgentMetrics. Empty means AgentsKMM.
	Agents string
	// Families (families) lists the method families to poll (Family*). Empty means
	// all.
	Families []string
	// Day is when the account's day begins (the source's day key, outside this
	// section): "today" figures, agents' handled and activity count from its latest
	// reset. The zero Day is midnight in the server's zone.
	Day snapshot.Day
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Source is the source for one LivePerson account.
type Source struct {
	cfg     Config
	c       *poller.Client
	domains *lpDomains
	oauth1  *oauth1
	tokens  *poller.TokenCache // OAuth 2.0 (Sentinel) only
	now     func() time.Time
	names   *lpNamesCache
	day     *lpDayCache
}

// New validates cfg and returns the source. A configuration the vendor would refuse
// (timeframe, bucket, SLA histogram bounds) is a *field.Error naming the YAML key,
// so it is caught at start-up and not as a 400 on every poll.
func New(cfg Config, c *poller.Client) (*Source, error) {
	if cfg.ID == "" {
		cfg.ID = "liveperson"
	}
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	if c == nil {
		c = &poller.Client{}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	l := &Source{cfg: cfg, c: c, now: now, names: &lpNamesCache{ttl: cfg.DomainTTL}, day: &lpDayCache{}}
	l.domains = &lpDomains{c: c, base: strings.TrimRight(cfg.DomainURL, "/"), account: cfg.AccountID,
		pinned: cfg.Hosts, ttl: cfg.DomainTTL, now: now}
	if cfg.AppKey != "" {
		l.oauth1 = &oauth1{consumerKey: cfg.AppKey, consumerSecret: cfg.Secret,
			token: cfg.AccessToken, tokenSecret: cfg.AccessTokenSecret, now: now}
	} else {
		l.tokens = newSentinelTokens(c, cfg.ClientID, cfg.ClientSecret, now)
	}
	return l, nil
}

// normalize applies defaults and validates.
func (cfg *Config) normalize() error {
	if strings.TrimSpace(cfg.AccountID) == "" || strings.ContainsAny(cfg.AccountID, "/?#% ") {
		return field.Errorf("account_id", "required, a plain site id")
	}
	if cfg.DomainURL == "" {
		cfg.DomainURL = "https://api.liveperson.net"
	}
	if u, err := url.Parse(cfg.DomainURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return field.Errorf("domain_url", "must be an http(s) URL")
	}
	for svc, h := range cfg.Hosts {
		if !validHost(h) {
			return field.Errorf("hosts."+svc, "%q is not a host[:port]", h)
		}
	}
	if cfg.DomainTTL <= 0 {
		cfg.DomainTTL = 600 * time.Second
	}
	if err := cfg.validAuth(); err != nil {
		return err
	}
	if err := cfg.validWindow(); err != nil {
		return err
	}
	switch cfg.Agents {
	case "":
		cfg.Agents = AgentsKMM
	case AgentsKMM, AgentsAgentMetrics:
	default:
		return field.Errorf("agents", "%q, want %s or %s", cfg.Agents, AgentsKMM, AgentsAgentMetrics)
	}
	if len(cfg.Families) == 0 {
		cfg.Families = []string{FamilyChat, FamilyMessaging, FamilyAgents}
	}
	for _, f := range cfg.Families {
		if f != FamilyChat && f != FamilyMessaging && f != FamilyAgents {
			return field.Errorf("families", "unknown family %q", f)
		}
	}
	return nil
}

// validAuth checks that exactly one credential set is complete; the error names the
// first key that is missing or superfluous.
func (cfg *Config) validAuth() error {
	api := []struct{ key, val string }{{"app_key", cfg.AppKey}, {"secret", cfg.Secret},
		{"access_token", cfg.AccessToken}, {"access_token_secret", cfg.AccessTokenSecret}}
	app := []struct{ key, val string }{{"client_id", cfg.ClientID}, {"client_secret", cfg.ClientSecret}}
	anyOf := func(set []struct{ key, val string }) bool {
		return slices.ContainsFunc(set, func(kv struct{ key, val string }) bool { return kv.val != "" })
	}
	const apiKeys, appKeys = "app_key, secret, access_token and access_token_secret", "client_id and client_secret"
	oauth1, oauth2 := anyOf(api), anyOf(app)
	switch {
	case oauth1 && oauth2:
		return field.Errorf("client_id", "set either %s (API key) or %s (OAuth 2.0), not both", apiKeys, appKeys)
	case !oauth1 && !oauth2:
		return field.Errorf("app_key", "no credentials: set %s, or %s", apiKeys, appKeys)
	}
	set, need := api, "an API key needs "+apiKeys
	if oauth2 {
		set, need = app, "OAuth 2.0 needs "+appKeys
	}
	for _, kv := range set {
		if kv.val == "" {
			return field.Errorf(kv.key, "missing: %s", need)
		}
	}
	return nil
}

// validWindow applies the window defaults and checks what the vendor would refuse.
func (cfg *Config) validWindow() error {
	if cfg.Timeframe == 0 {
		cfg.Timeframe = 60
	}
	if cfg.Timeframe < 1 || cfg.Timeframe > 1440 {
		return field.Errorf("timeframe", "%d minutes, must be 1..1440", cfg.Timeframe)
	}
	if cfg.Bucket == 0 {
		cfg.Bucket = min(30, cfg.Timeframe)
		if cfg.Timeframe%cfg.Bucket != 0 || cfg.Bucket < 5 {
			cfg.Bucket = cfg.Timeframe
		}
	}
	if cfg.Bucket < 5 || cfg.Bucket > cfg.Timeframe || cfg.Timeframe%cfg.Bucket != 0 {
		return field.Errorf("bucket", "%d minutes, must be at least 5 and divide timeframe %d", cfg.Bucket, cfg.Timeframe)
	}
	if cfg.SLATarget == 0 {
		cfg.SLATarget = 30 * time.Second
	}
	if err := validSLATarget(cfg.SLATarget); err != nil {
		return field.Errorf("sla_target", "%v", err)
	}
	for id, d := range cfg.SLATargets {
		if err := validSLATarget(d); err != nil {
			return field.Errorf("sla_targets."+id, "%v", err)
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
func (l *Source) ID() string { return l.cfg.ID }

// Kind returns "liveperson".
func (l *Source) Kind() string { return "liveperson" }

func (l *Source) polls(family string) bool { return slices.Contains(l.cfg.Families, family) }

func (l *Source) slaTarget(skillID string) time.Duration {
	if d, ok := l.cfg.SLATargets[skillID]; ok {
		return d
	}
	return l.cfg.SLATarget
}
