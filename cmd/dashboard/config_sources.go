package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/comm100"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
)

// SourceConfig is one vendor account.
type SourceConfig struct {
	// ID names the source in keys, pages and metrics. Empty means the kind.
	ID string `yaml:"id"`
	// Kind is "comm100" or "liveperson".
	Kind string `yaml:"kind"`
	// Interval between polls. Zero means 10s (the vendors' refresh rate); minimum 1s.
	Interval Duration `yaml:"interval"`
	// Timeout bounds one HTTP request. Zero means 10s.
	Timeout Duration `yaml:"timeout"`
	// Budget caps requests per window. Zero means the vendor's documented limit
	// (Comm100: 300 per 5m); LivePerson publishes none, so zero means 120 per 1m.
	Budget BudgetConfig `yaml:"budget"`
	// Day is when the account's day begins. Zero means midnight in the server's zone.
	Day DayConfig `yaml:"day"`

	// Comm100 holds Comm100 settings when Kind is comm100.
	Comm100 *Comm100Config `yaml:"comm100"`
	// LivePerson holds LivePerson settings when Kind is liveperson.
	LivePerson *LivePersonConfig `yaml:"liveperson"`
}

// BudgetConfig is a request budget.
type BudgetConfig struct {
	Requests int      `yaml:"requests"`
	Per      Duration `yaml:"per"`
}

// Comm100Config is a Comm100 Live Chat account (API v4).
type Comm100Config struct {
	// BaseURL is the API base including the version, e.g. https://api15.comm100.io/v4.
	BaseURL string `yaml:"base_url"`
	// TokenURL is the OAuth endpoint, e.g. https://dash15.comm100.io/oauth/token. Only
	// for OAuth (client_id + password).
	TokenURL string `yaml:"token_url"`
	// SiteID is the Comm100 site id.
	SiteID int `yaml:"site_id"`
	// Email is the agent login used for the API.
	Email string `yaml:"email"`
	// APIKey selects API-key auth (HTTP Basic + siteId).
	APIKey string `yaml:"api_key"`
	// ClientID and Password select OAuth password-grant auth (recommended by Comm100).
	ClientID string `yaml:"client_id"`
	Password string `yaml:"password"`
}

// LivePersonConfig is a LivePerson account.
type LivePersonConfig struct {
	// AccountID is the LivePerson site id.
	AccountID string `yaml:"account_id"`
	// DomainURL is the Domain API base. Empty means https://api.liveperson.net.
	DomainURL string `yaml:"domain_url"`
	// Hosts pins service hosts by Domain API service name (leDataReporting, msgEwtAPI,
	// agentManagerWorkspace, msgHist, sentinel, accountConfigReadOnly), for proxies.
	Hosts map[string]string `yaml:"hosts"`

	// AppKey, Secret, AccessToken and AccessTokenSecret are an API key (OAuth 1.0).
	AppKey            string `yaml:"app_key"`
	Secret            string `yaml:"secret"`
	AccessToken       string `yaml:"access_token"`
	AccessTokenSecret string `yaml:"access_token_secret"`
	// ClientID and ClientSecret are an OAuth 2.0 client-credentials app installation.
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`

	// Timeframe is the Operational Realtime window in minutes. Zero means 60; max 1440.
	Timeframe int `yaml:"timeframe"`
	// Bucket is the Operational Realtime interval in minutes. Zero means 30; at least 5
	// and a divisor of timeframe (the API answers 400 otherwise).
	Bucket int `yaml:"bucket"`
	// SLATarget is the answer-time target for service level. Zero means 30s; a
	// multiple of 5s (the SLA histogram's granularity).
	SLATarget Duration `yaml:"sla_target"`
	// Agents is where agent states come from: "kmm" (Key Messaging Metrics agent_view,
	// default) or "agent_metrics" (for accounts without KMM).
	Agents string `yaml:"agents"`
}

// validateSources checks the sources: the keys every source has are checked here, the
// vendor block by the vendor's connector constructor, whose field errors are placed
// at sources[i].<kind>.
func (c *Config) validateSources() error {
	var errs []error
	ids := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("sources[%d]", i)
		errs = append(errs, field.Within(key, s.validate()))
		if !s.hasVendorBlock() {
			continue
		}
		if ids[s.ID] {
			errs = append(errs, field.Errorf(key+".id", "duplicate source id %q", s.ID))
		}
		ids[s.ID] = true
		if _, err := buildSource(*s); err != nil {
			errs = append(errs, field.Within(key, err))
		}
	}
	return errors.Join(errs...)
}

// hasVendorBlock reports whether the source names a known kind and has its block, so
// the block's own rules can run.
func (s *SourceConfig) hasVendorBlock() bool {
	return (s.Kind == "comm100" && s.Comm100 != nil) || (s.Kind == "liveperson" && s.LivePerson != nil)
}

// validate checks the keys every source has and fills their defaults; the vendor
// block's own keys are the connector's to check.
func (s *SourceConfig) validate() error {
	switch s.Kind {
	case "comm100", "liveperson":
	case "":
		return field.Errorf("kind", "missing (comm100 or liveperson)")
	default:
		return field.Errorf("kind", "unknown kind %q (comm100 or liveperson)", s.Kind)
	}
	if s.ID == "" {
		s.ID = s.Kind
	}
	var errs []error
	if !validID(s.ID) {
		errs = append(errs, field.Errorf("id", "%q: use letters, digits, '-' and '_'", s.ID))
	}
	if s.Interval == 0 {
		s.Interval = Duration(10 * time.Second)
	}
	if s.Interval.D() < time.Second {
		errs = append(errs, field.Errorf("interval", "must be at least 1s (got %s)", s.Interval.D()))
	}
	if s.Timeout < 0 || (s.Timeout > 0 && s.Timeout.D() < 100*time.Millisecond) {
		errs = append(errs, field.Errorf("timeout", "must be at least 100ms (got %s)", s.Timeout.D()))
	}
	switch {
	case s.Budget.Requests < 0 || s.Budget.Per < 0:
		errs = append(errs, field.Errorf("budget", "requests and per must not be negative"))
	case (s.Budget.Requests == 0) != (s.Budget.Per == 0):
		errs = append(errs, field.Errorf("budget", "set both requests and per, or neither"))
	}
	other, block, present := "liveperson", "comm100", s.Comm100 != nil
	if s.Kind == "liveperson" {
		other, block, present = "comm100", "liveperson", s.LivePerson != nil
	}
	if (other == "comm100" && s.Comm100 != nil) || (other == "liveperson" && s.LivePerson != nil) {
		errs = append(errs, field.Errorf(other, "not allowed for kind %s", s.Kind))
	}
	if !present {
		errs = append(errs, field.Errorf(block, "missing: the %s account settings (see ccdash.example.yaml)", block))
	}
	return errors.Join(errs...)
}

// buildSources turns the config's sources into pollers' sources, each with its own
// HTTP client and request budget.
func buildSources(cfgs []SourceConfig) ([]poller.SourceConfig, error) {
	var out []poller.SourceConfig
	for i, sc := range cfgs {
		src, err := buildSource(sc)
		if err != nil {
			return nil, configError(field.Within(fmt.Sprintf("sources[%d]", i), err), nil)
		}
		out = append(out, src)
	}
	return out, nil
}

// buildSource makes one source's connector. Its errors are field errors relative to
// the source (comm100.base_url, liveperson.sla_target).
func buildSource(sc SourceConfig) (poller.SourceConfig, error) {
	client := &poller.Client{
		HTTP:    &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		Budget:  budgetFor(sc),
		Timeout: sc.Timeout.D(),
	}
	out := poller.SourceConfig{Client: client, Interval: sc.Interval.D()}
	day, err := sc.Day.day()
	if err != nil {
		return out, field.Within("day", err)
	}
	switch sc.Kind {
	case "comm100":
		c := sc.Comm100
		out.Source, err = comm100.New(comm100.Config{
			ID: sc.ID, BaseURL: c.BaseURL, TokenURL: c.TokenURL, SiteID: c.SiteID,
			Email: c.Email, APIKey: c.APIKey, ClientID: c.ClientID, Password: c.Password, Day: day,
		}, client)
		err = field.Within("comm100", err)
	case "liveperson":
		lc := livePersonConfig(sc.ID, sc.LivePerson)
		lc.Day = day
		out.Source, err = liveperson.New(lc, client)
		err = field.Within("liveperson", err)
	}
	return out, err
}

// livePersonConfig maps the YAML block to the connector's config.
func livePersonConfig(id string, c *LivePersonConfig) liveperson.Config {
	// An http:// Domain API means a test or proxy setup on a trusted network: the
	// discovered hosts are then spoken to over http too. Real accounts use https.
	insecure := strings.HasPrefix(c.DomainURL, "http://")
	return liveperson.Config{
		Insecure: insecure,
		ID:       id, AccountID: c.AccountID, DomainURL: c.DomainURL, Hosts: c.Hosts,
		AppKey: c.AppKey, Secret: c.Secret, AccessToken: c.AccessToken, AccessTokenSecret: c.AccessTokenSecret,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret,
		Timeframe: c.Timeframe, Bucket: c.Bucket, SLATarget: c.SLATarget.D(), Agents: c.Agents,
	}
}

// budgetFor returns the configured budget or the vendor's documented one.
func budgetFor(sc SourceConfig) *poller.Budget {
	if sc.Budget.Requests > 0 {
		return poller.NewBudget(sc.Budget.Requests, sc.Budget.Per.D())
	}
	if sc.Kind == "comm100" {
		return poller.NewBudget(300, 5*time.Minute) // "300 calls per 5 minutes per IP"
	}
	return poller.NewBudget(120, time.Minute) // LivePerson publishes no figure; stay polite
}
