package liveperson

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/field"
)

func TestNewLivePersonRefusesBadConfig(t *testing.T) {
	t.Parallel()
	ok := func() Config {
		return Config{AccountID: "123", AppKey: "k", Secret: "s", AccessToken: "t", AccessTokenSecret: "ts"}
	}
	tests := []struct {
		name    string
		mod     func(*Config)
		wantKey string // the YAML key the error names, relative to the liveperson section; "" means valid
	}{
		{name: "defaults", mod: func(*Config) {}},
		{name: "oauth2", mod: func(c *Config) { *c = Config{AccountID: "1", ClientID: "a", ClientSecret: "b"} }},
		{name: "timeframe too long", mod: func(c *Config) { c.Timeframe = 1441 }, wantKey: "timeframe"},
		{name: "interval below 5", mod: func(c *Config) { c.Timeframe, c.Bucket = 60, 4 }, wantKey: "bucket"},
		{name: "interval not a divisor", mod: func(c *Config) { c.Timeframe, c.Bucket = 60, 31 }, wantKey: "bucket"},
		{name: "interval above timeframe", mod: func(c *Config) { c.Timeframe, c.Bucket = 60, 61 }, wantKey: "bucket"},
		{name: "small timeframe defaults interval", mod: func(c *Config) { c.Timeframe = 10 }},
		{name: "sla not multiple of 5s", mod: func(c *Config) { c.SLATarget = 12 * time.Second }, wantKey: "sla_target"},
		{name: "per-skill sla", mod: func(c *Config) { c.SLATargets = map[string]time.Duration{"7": time.Second} }, wantKey: "sla_targets.7"},
		{name: "no account", mod: func(c *Config) { c.AccountID = "" }, wantKey: "account_id"},
		{name: "half an api key", mod: func(c *Config) { c.AccessTokenSecret = "" }, wantKey: "access_token_secret"},
		{name: "both auths", mod: func(c *Config) { c.ClientID, c.ClientSecret = "a", "b" }, wantKey: "client_id"},
		{name: "half an oauth2 app", mod: func(c *Config) { *c = Config{AccountID: "1", ClientID: "a"} }, wantKey: "client_secret"},
		{name: "no credentials", mod: func(c *Config) { *c = Config{AccountID: "1"} }, wantKey: "app_key"},
		{name: "bad domain url", mod: func(c *Config) { c.DomainURL = "ftp://x" }, wantKey: "domain_url"},
		{name: "agent_metrics", mod: func(c *Config) { c.Agents = AgentsAgentMetrics }},
		{name: "agents", mod: func(c *Config) { c.Agents = "agentmetrics" }, wantKey: "agents"},
		{name: "pinned host with path", mod: func(c *Config) { c.Hosts = map[string]string{"sentinel": "h/x"} }, wantKey: "hosts.sentinel"},
		{name: "family", mod: func(c *Config) { c.Families = []string{"voice"} }, wantKey: "families"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok()
			tc.mod(&cfg)
			l, err := New(cfg, nil)
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if l.ID() != "liveperson" || l.Kind() != "liveperson" {
					t.Errorf("ID/Kind = %s/%s", l.ID(), l.Kind())
				}
				if l.cfg.Timeframe%l.cfg.Bucket != 0 || l.cfg.Bucket < 5 {
					t.Errorf("defaults gave timeframe %d interval %d", l.cfg.Timeframe, l.cfg.Bucket)
				}
				return
			}
			var fe *field.Error
			if !errors.As(err, &fe) || fe.Path != tc.wantKey {
				t.Fatalf("err = %v, want a field error at %q", err, tc.wantKey)
			}
			for _, goName := range []string{"AccountID", "DomainURL", "AppKey", "AccessToken", "ClientID", "ClientSecret",
				"Timeframe", "Bucket", "Interval", "SLATarget", "Agents", "AgentSource", "consumerKey", "slaTarget"} {
				if strings.Contains(err.Error(), goName) {
					t.Errorf("config error names the Go field %s: %v", goName, err)
				}
			}
		})
	}
}
