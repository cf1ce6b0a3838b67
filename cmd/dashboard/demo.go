package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/simulator"
)

// demo is the built-in simulator, served on a loopback port, and the sources that poll
// it through the real connectors.
type demo struct {
	sim     *simulator.Simulator
	url     string
	sources []poller.SourceConfig
}

// startDemo starts the simulator on 127.0.0.1:0 until ctx is done and configures
// one Comm100 and one LivePerson source against it, exactly as a real account would
// be configured (the simulator checks the same credentials the vendors do).
func startDemo(ctx context.Context, o options, log *slog.Logger) (*demo, error) {
	cfg := simulator.DefaultCredentials()
	cfg.Seed = o.simSeed
	cfg.Speed = o.simSpeed
	cfg.Control = true // the fault switch at /_sim/fault, for demos and browser tests
	sim := simulator.New(cfg)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: simulator listen: %w", err)
	}
	hs := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo simulator stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = hs.Close()
	}()
	go sim.Run(ctx)

	url := "http://" + ln.Addr().String()
	sources, err := buildSources(demoSources(url, cfg))
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return &demo{sim: sim, url: url, sources: sources}, nil
}

// demoSources is the config a user would write for the simulator's two accounts.
func demoSources(url string, cfg simulator.Config) []SourceConfig {
	c100 := SourceConfig{
		ID: "comm100", Kind: "comm100", Interval: Duration(10 * time.Second),
		Comm100: &Comm100Config{
			BaseURL: url + "/v4", TokenURL: url + "/oauth/token", SiteID: cfg.Comm100.SiteID,
			Email: cfg.Comm100.Email, ClientID: cfg.Comm100.ClientID, Password: cfg.Comm100.Password,
		},
	}
	// LivePerson at 15s: one poll is about 11 requests, and the simulator enforces
	// 300 per 5 minutes per vendor like Comm100 documents.
	lp := SourceConfig{
		ID: "liveperson", Kind: "liveperson", Interval: Duration(15 * time.Second),
		LivePerson: &LivePersonConfig{
			AccountID: cfg.LivePerson.AccountID, DomainURL: url,
			AppKey: cfg.LivePerson.ConsumerKey, Secret: cfg.LivePerson.ConsumerSecret,
			AccessToken: cfg.LivePerson.Token, AccessTokenSecret: cfg.LivePerson.TokenSecret,
		},
	}
	for _, s := range []*SourceConfig{&c100, &lp} {
		if err := s.validate("demo." + s.ID); err != nil {
			panic(err) // the demo's own config is a programming error if invalid
		}
	}
	return []SourceConfig{c100, lp}
}
