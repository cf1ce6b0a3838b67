package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
)

// buildSources turns the config's sources into pollers' sources, each with its own
// HTTP client and request budget.
func buildSources(cfgs []SourceConfig) ([]poller.SourceConfig, error) {
	var out []poller.SourceConfig
	for i, sc := range cfgs {
		src, err := buildSource(sc)
		if err != nil {
			return nil, fmt.Errorf("config: sources[%d]: %w", i, err)
		}
		out = append(out, src)
	}
	return out, nil
}

func buildSource(sc SourceConfig) (poller.SourceConfig, error) {
	client := &poller.Client{
		HTTP:    &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		Budget:  budgetFor(sc),
		Timeout: sc.Timeout.D(),
	}
	out := poller.SourceConfig{Client: client, Interval: sc.Interval.D()}
	switch sc.Kind {
	case "comm100":
		c := sc.Comm100
		src, err := poller.NewComm100(poller.Comm100Config{
			ID: sc.ID, BaseURL: c.BaseURL, TokenURL: c.TokenURL, SiteID: c.SiteID,
			Email: c.Email, APIKey: c.APIKey, ClientID: c.ClientID, Password: c.Password,
		}, client)
		if err != nil {
			return out, err
		}
		out.Source = src
	case "liveperson":
		src, err := poller.NewLivePerson(livePersonConfig(sc.ID, sc.LivePerson), client)
		if err != nil {
			return out, err
		}
		out.Source = src
	}
	return out, nil
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
