package main

import (
	"errors"
	"strings"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/server"
)

// HTTPConfig bounds what connections from outside may hold (the `http:` section).
// Every zero value takes the default given; see README "Security".
type HTTPConfig struct {
	// ReadTimeout bounds reading one request, body included. Zero means 30s.
	ReadTimeout Duration `yaml:"read_timeout"`
	// ReadHeaderTimeout bounds reading one request's headers. Zero means 10s.
	ReadHeaderTimeout Duration `yaml:"read_header_timeout"`
	// WriteTimeout bounds writing one response; WebSockets are exempt. Zero means 30s.
	WriteTimeout Duration `yaml:"write_timeout"`
	// IdleTimeout closes idle keep-alive connections. Zero means 2m.
	IdleTimeout Duration `yaml:"idle_timeout"`
	// MaxHeaderBytes caps one request's headers. Zero means 65536.
	MaxHeaderBytes int `yaml:"max_header_bytes"`
	// MaxConns caps open connections. Zero means 4096.
	MaxConns int `yaml:"max_conns"`
	// MaxConnsPerIP caps open connections from one address. Zero means 256.
	MaxConnsPerIP int `yaml:"max_conns_per_ip"`
	// MaxPublicSocketsPerBoard caps anonymous live pages per public board. Zero means 1000.
	MaxPublicSocketsPerBoard int `yaml:"max_public_sockets_per_board"`
	// MaxPublicSocketsPerIP caps anonymous live pages per address. Zero means 100.
	MaxPublicSocketsPerIP int `yaml:"max_public_sockets_per_ip"`
}

// minMetricsToken is the shortest metrics_token accepted: it guards /metrics from
// every host but this one, so it must not be guessable.
const minMetricsToken = 16

// validateHTTP checks the http section and metrics_token. Errors never repeat the token.
func (c *Config) validateHTTP() error {
	var errs []error
	h := c.HTTP
	for key, d := range map[string]Duration{
		"read_timeout": h.ReadTimeout, "read_header_timeout": h.ReadHeaderTimeout,
		"write_timeout": h.WriteTimeout, "idle_timeout": h.IdleTimeout,
	} {
		if d < 0 {
			errs = append(errs, field.Errorf("http."+key, "must not be negative"))
		}
	}
	for key, n := range map[string]int{
		"max_header_bytes": h.MaxHeaderBytes, "max_conns": h.MaxConns, "max_conns_per_ip": h.MaxConnsPerIP,
		"max_public_sockets_per_board": h.MaxPublicSocketsPerBoard, "max_public_sockets_per_ip": h.MaxPublicSocketsPerIP,
	} {
		if n < 0 {
			errs = append(errs, field.Errorf("http."+key, "must not be negative (0 means the default)"))
		}
	}
	if t := c.MetricsToken; t != "" && (len(t) < minMetricsToken || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f })) {
		errs = append(errs, field.Errorf("metrics_token", "must be at least %d characters without spaces or control characters (make one with: head -c 24 /dev/urandom | base64)", minMetricsToken))
	}
	return errors.Join(errs...)
}

// serverLimits converts the http section for the server.
func (h HTTPConfig) serverLimits() server.Limits {
	return server.Limits{
		ReadTimeout: h.ReadTimeout.D(), ReadHeaderTimeout: h.ReadHeaderTimeout.D(),
		WriteTimeout: h.WriteTimeout.D(), IdleTimeout: h.IdleTimeout.D(),
		MaxHeaderBytes: h.MaxHeaderBytes, MaxConns: h.MaxConns, MaxConnsPerIP: h.MaxConnsPerIP,
		MaxPublicSocketsPerBoard: h.MaxPublicSocketsPerBoard, MaxPublicSocketsPerIP: h.MaxPublicSocketsPerIP,
	}
}
