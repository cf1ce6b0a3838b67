package main

// Interim: the vendor blocks' rules, until the connector constructors
// (internal/poller/comm100, internal/poller/liveperson) return field errors named
// by these YAML keys; then this file goes and the constructors are the only check.

import (
	"regexp"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

func (c *Comm100Config) validate() error {
	if c.BaseURL == "" {
		return field.Errorf("base_url", "missing (e.g. https://api15.comm100.io/v4)")
	}
	if err := checkURL(c.BaseURL); err != nil {
		return field.Within("base_url", err)
	}
	if c.SiteID <= 0 {
		return field.Errorf("site_id", "missing or not a positive number")
	}
	if c.Email == "" {
		return field.Errorf("email", "missing (the agent login the API acts as)")
	}
	apiKey := c.APIKey != ""
	oauth := c.ClientID != "" || c.Password != ""
	switch {
	case apiKey && oauth:
		return field.Errorf("api_key", "set either api_key or client_id+password, not both")
	case !apiKey && !oauth:
		return field.Errorf("api_key", "missing credentials: set api_key, or client_id and password")
	case oauth && c.ClientID == "":
		return field.Errorf("client_id", "missing (OAuth needs client_id and password)")
	case oauth && c.Password == "":
		return field.Errorf("password", "missing (OAuth needs client_id and password)")
	case oauth && c.TokenURL == "":
		return field.Errorf("token_url", "missing (OAuth token endpoint, e.g. https://dash15.comm100.io/oauth/token)")
	}
	if c.TokenURL != "" {
		if err := checkURL(c.TokenURL); err != nil {
			return field.Within("token_url", err)
		}
	}
	return nil
}

var lpAccount = regexp.MustCompile(`^[0-9A-Za-z]{1,32}$`)

func (c *LivePersonConfig) validate() error {
	if c.AccountID == "" {
		return field.Errorf("account_id", "missing")
	}
	if !lpAccount.MatchString(c.AccountID) {
		return field.Errorf("account_id", "%q is not a LivePerson account id", c.AccountID)
	}
	if c.DomainURL != "" {
		if err := checkURL(c.DomainURL); err != nil {
			return field.Within("domain_url", err)
		}
	}
	oauth1 := c.AppKey != "" || c.Secret != "" || c.AccessToken != "" || c.AccessTokenSecret != ""
	oauth2 := c.ClientID != "" || c.ClientSecret != ""
	switch {
	case oauth1 && oauth2:
		return field.Errorf("app_key", "set either an API key (app_key, secret, access_token, access_token_secret) or OAuth 2 (client_id, client_secret), not both")
	case !oauth1 && !oauth2:
		return field.Errorf("app_key", "missing credentials: set app_key, secret, access_token and access_token_secret, or client_id and client_secret")
	case oauth1:
		for name, v := range map[string]string{"app_key": c.AppKey, "secret": c.Secret, "access_token": c.AccessToken, "access_token_secret": c.AccessTokenSecret} {
			if v == "" {
				return field.Errorf(name, "missing (an API key has four parts)")
			}
		}
	case c.ClientID == "":
		return field.Errorf("client_id", "missing (OAuth 2 needs client_id and client_secret)")
	case c.ClientSecret == "":
		return field.Errorf("client_secret", "missing (OAuth 2 needs client_id and client_secret)")
	}
	if c.Timeframe == 0 {
		c.Timeframe = 60
	}
	if c.Bucket == 0 {
		c.Bucket = 30
	}
	switch {
	case c.Timeframe < 1 || c.Timeframe > 1440:
		return field.Errorf("timeframe", "must be 1..1440 minutes (got %d)", c.Timeframe)
	case c.Bucket < 5:
		return field.Errorf("bucket", "must be at least 5 minutes (got %d)", c.Bucket)
	case c.Bucket > c.Timeframe || c.Timeframe%c.Bucket != 0:
		return field.Errorf("bucket", "must divide timeframe %d exactly (got %d)", c.Timeframe, c.Bucket)
	}
	if d := c.SLATarget.D(); d < 0 || (d != 0 && (d < 5*time.Second || d > 24*time.Hour || d%(5*time.Second) != 0)) {
		return field.Errorf("sla_target", "%s: must be a multiple of 5s (the SLA histogram's buckets), 5s to 24h", d)
	}
	switch c.Agents {
	case "", "kmm", "agent_metrics":
	default:
		return field.Errorf("agents", "must be kmm or agent_metrics (got %q)", c.Agents)
	}
	for name, host := range c.Hosts {
		if host == "" || strings.ContainsAny(host, "/?#@ ") {
			return field.Errorf("hosts."+name, "%q is not a host[:port]", host)
		}
	}
	return nil
}
