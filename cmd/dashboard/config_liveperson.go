package main

import "regexp"

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

var lpAccount = regexp.MustCompile(`^[0-9A-Za-z]{1,32}$`)

func (c *LivePersonConfig) validate(key string) error {
	if c.AccountID == "" {
		return bad(key+".account_id", "missing")
	}
	if !lpAccount.MatchString(c.AccountID) {
		return bad(key+".account_id", "%q is not a LivePerson account id", c.AccountID)
	}
	if c.DomainURL != "" {
		if err := checkURL(c.DomainURL); err != nil {
			return bad(key+".domain_url", "%v", err)
		}
	}
	oauth1 := c.AppKey != "" || c.Secret != "" || c.AccessToken != "" || c.AccessTokenSecret != ""
	oauth2 := c.ClientID != "" || c.ClientSecret != ""
	switch {
	case oauth1 && oauth2:
		return bad(key+".app_key", "set either an API key (app_key, secret, access_token, access_token_secret) or OAuth 2 (client_id, client_secret), not both")
	case !oauth1 && !oauth2:
		return bad(key+".app_key", "missing credentials: set app_key, secret, access_token and access_token_secret, or client_id and client_secret")
	case oauth1:
		for name, v := range map[string]string{"app_key": c.AppKey, "secret": c.Secret, "access_token": c.AccessToken, "access_token_secret": c.AccessTokenSecret} {
			if v == "" {
				return bad(key+"."+name, "missing (an API key has four parts)")
			}
		}
	case c.ClientID == "":
		return bad(key+".client_id", "missing (OAuth 2 needs client_id and client_secret)")
	case c.ClientSecret == "":
		return bad(key+".client_secret", "missing (OAuth 2 needs client_id and client_secret)")
	}
	if c.Timeframe == 0 {
		c.Timeframe = 60
	}
	if c.Bucket == 0 {
		c.Bucket = 30
	}
	switch {
	case c.Timeframe < 1 || c.Timeframe > 1440:
		return bad(key+".timeframe", "must be 1..1440 minutes (got %d)", c.Timeframe)
	case c.Bucket < 5:
		return bad(key+".bucket", "must be at least 5 minutes (got %d)", c.Bucket)
	case c.Bucket > c.Timeframe || c.Timeframe%c.Bucket != 0:
		return bad(key+".bucket", "must divide timeframe %d exactly (got %d)", c.Timeframe, c.Bucket)
	}
	if c.SLATarget < 0 {
		return bad(key+".sla_target", "must not be negative")
	}
	switch c.Agents {
	case "", "kmm", "agent_metrics":
	default:
		return bad(key+".agents", "must be kmm or agent_metrics (got %q)", c.Agents)
	}
	for name, host := range c.Hosts {
		if host == "" {
			return bad(key+".hosts."+name, "empty host")
		}
	}
	return nil
}
