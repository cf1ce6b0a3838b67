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
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
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
	cfg.Floor = o.simFloor
	cfg.Control = true // the fault switch at /_sim/fault, for demos and browser tests
	cfg.Start = busyFloorTime(time.Now())
	sim := simulator.New(cfg)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: simulator listen: %w", err)
	}
	hs := &http.Server{Handler: sim.Handler(simcomm100.Routes, simliveperson.Routes), ReadHeaderTimeout: 5 * time.Second}
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
	srcs := demoSources(url, cfg)
	for i := range srcs {
		if o.simInterval > 0 {
			srcs[i].Interval = Duration(o.simInterval)
		}
	}
	sources, err := buildSources(srcs)
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
	// LivePerson at 15s: one poll is about 12 requests, and the simulator enforces
	// 300 per 5 minutes per vendor like Comm100 documents.
	// Both accounts' day begins at 06:00 on the floor's clock (its zone has no IANA
	// name, so it is set directly): the demo shows "today since 06:00".
	c100.Day = DayConfig{Reset: "06:00", loc: cfg.Start.Location()}
	lp := SourceConfig{
		ID: "liveperson", Kind: "liveperson", Interval: Duration(15 * time.Second),
		Day: DayConfig{Reset: "06:00", loc: cfg.Start.Location()},
		LivePerson: &LivePersonConfig{
			AccountID: cfg.LivePerson.AccountID, DomainURL: url,
			AppKey: cfg.LivePerson.ConsumerKey, Secret: cfg.LivePerson.ConsumerSecret,
			AccessToken: cfg.LivePerson.Token, AccessTokenSecret: cfg.LivePerson.TokenSecret,
		},
	}
	demo := Config{Sources: []SourceConfig{c100, lp}}
	if err := demo.validateSources(); err != nil {
		panic(err) // the demo's own config is a programming error if invalid
	}
	return demo.Sources
}

// busyFloorTime returns now in a time zone where the simulated floor's local time is
// late morning, so the demo is busy whenever it is started (a real contact center at
// 3 a.m. is nearly idle, and a demo or its acceptance test would look dead). Instants
// stay real: only the floor's idea of "time of day" moves, so every timestamp on the
// pages (time in state, "updated 4 s ago") is still right.
func busyFloorTime(now time.Time) time.Time {
	const target = 10*time.Hour + 30*time.Minute
	u := now.UTC()
	ofDay := time.Duration(u.Hour())*time.Hour + time.Duration(u.Minute())*time.Minute
	offset := (target - ofDay).Truncate(time.Minute)
	if offset > 12*time.Hour {
		offset -= 24 * time.Hour
	} else if offset <= -12*time.Hour {
		offset += 24 * time.Hour
	}
	return now.In(time.FixedZone("demo floor", int(offset.Seconds())))
}
