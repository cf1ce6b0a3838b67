package main

import (
	"strings"

	"github.com/ccdash/ccdash/internal/poller"
)

// livePersonConfig maps the YAML block to the connector's config.
func livePersonConfig(id string, c *LivePersonConfig) poller.LivePersonConfig {
	agents := c.Agents
	if agents == "agent_metrics" {
		agents = "agentmetrics"
	}
	// An http:// Domain API means a test or proxy setup on a trusted network: the
	// discovered hosts are then spoken to over http too. Real accounts use https.
	insecure := strings.HasPrefix(c.DomainURL, "http://")
	return poller.LivePersonConfig{
		Insecure: insecure,
		ID:       id, AccountID: c.AccountID, DomainURL: c.DomainURL, Hosts: c.Hosts,
		ConsumerKey: c.AppKey, ConsumerSecret: c.Secret, Token: c.AccessToken, TokenSecret: c.AccessTokenSecret,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret,
		Timeframe: c.Timeframe, Interval: c.Bucket, SLATarget: c.SLATarget.D(), AgentSource: agents,
	}
}
