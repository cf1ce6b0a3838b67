package poller

import (
	"strings"
	"testing"
	"time"
)

func TestNewLivePersonRefusesBadConfig(t *testing.T) {
	t.Parallel()
	ok := func() LivePersonConfig {
		return LivePersonConfig{AccountID: "123", ConsumerKey: "k", ConsumerSecret: "s", Token: "t", TokenSecret: "ts"}
	}
	tests := []struct {
		name    string
		mod     func(*LivePersonConfig)
		wantKey string // "" means valid
	}{
		{name: "defaults", mod: func(*LivePersonConfig) {}},
		{name: "oauth2", mod: func(c *LivePersonConfig) { *c = LivePersonConfig{AccountID: "1", ClientID: "a", ClientSecret: "b"} }},
		{name: "timeframe too long", mod: func(c *LivePersonConfig) { c.Timeframe = 1441 }, wantKey: "timeframe"},
		{name: "interval below 5", mod: func(c *LivePersonConfig) { c.Timeframe, c.Interval = 60, 4 }, wantKey: "interval"},
		{name: "interval not a divisor", mod: func(c *LivePersonConfig) { c.Timeframe, c.Interval = 60, 31 }, wantKey: "interval"},
		{name: "interval above timeframe", mod: func(c *LivePersonConfig) { c.Timeframe, c.Interval = 60, 61 }, wantKey: "interval"},
		{name: "small timeframe defaults interval", mod: func(c *LivePersonConfig) { c.Timeframe = 10 }},
		{name: "sla not multiple of 5s", mod: func(c *LivePersonConfig) { c.SLATarget = 12 * time.Second }, wantKey: "slaTarget"},
		{name: "per-skill sla", mod: func(c *LivePersonConfig) { c.SLATargets = map[string]time.Duration{"7": time.Second} }, wantKey: "slaTargets.7"},
		{name: "no account", mod: func(c *LivePersonConfig) { c.AccountID = "" }, wantKey: "accountId"},
		{name: "half an api key", mod: func(c *LivePersonConfig) { c.TokenSecret = "" }, wantKey: "auth"},
		{name: "both auths", mod: func(c *LivePersonConfig) { c.ClientID, c.ClientSecret = "a", "b" }, wantKey: "auth"},
		{name: "agent source", mod: func(c *LivePersonConfig) { c.AgentSource = "x" }, wantKey: "agentSource"},
		{name: "pinned host with path", mod: func(c *LivePersonConfig) { c.Hosts = map[string]string{"sentinel": "h/x"} }, wantKey: "hosts.sentinel"},
		{name: "family", mod: func(c *LivePersonConfig) { c.Families = []string{"voice"} }, wantKey: "families"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok()
			tc.mod(&cfg)
			l, err := NewLivePerson(cfg, nil)
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("NewLivePerson: %v", err)
				}
				if l.ID() != "liveperson" || l.Kind() != "liveperson" {
					t.Errorf("ID/Kind = %s/%s", l.ID(), l.Kind())
				}
				if l.cfg.Timeframe%l.cfg.Interval != 0 || l.cfg.Interval < 5 {
					t.Errorf("defaults gave timeframe %d interval %d", l.cfg.Timeframe, l.cfg.Interval)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantKey+":") {
				t.Fatalf("err = %v, want one naming %q", err, tc.wantKey)
			}
		})
	}
}
