package main

import (
	"strings"
	"testing"
	"time"
)

// TestHTTPConfig: the http section and metrics_token reach the server, and every bad
// value stops start-up naming its YAML key (never echoing the token).
func TestHTTPConfig(t *testing.T) {
	t.Parallel()
	good := "metrics_token: ${TOK}\nhttp:\n  read_timeout: 5s\n  write_timeout: 7s\n  max_conns: 900\n  max_conns_per_ip: 40\n  max_public_sockets_per_ip: 9\n"
	cfg, err := ParseConfig([]byte(good), env(map[string]string{"TOK": "tok-0123456789abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	l := cfg.HTTP.serverLimits()
	if cfg.MetricsToken != "tok-0123456789abcdef" || l.ReadTimeout != 5*time.Second || l.WriteTimeout != 7*time.Second ||
		l.MaxConns != 900 || l.MaxConnsPerIP != 40 || l.MaxPublicSocketsPerIP != 9 {
		t.Errorf("got token %q, limits %+v", cfg.MetricsToken, l)
	}
	tests := []struct{ name, yaml, wantKey string }{
		{"short token", "metrics_token: SECRETshort\n", "metrics_token"},
		{"token with space", "metrics_token: 'SECRET 0123456789abcdef'\n", "metrics_token"},
		{"negative timeout", "http: {read_timeout: -1s}\n", "http.read_timeout"},
		{"negative conns", "http: {max_conns_per_ip: -5}\n", "http.max_conns_per_ip"},
		{"negative sockets", "http: {max_public_sockets_per_board: -1}\n", "http.max_public_sockets_per_board"},
		{"unknown key", "http: {max_connections: 5}\n", "max_connections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig([]byte(tt.yaml), env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.wantKey) {
				t.Fatalf("got %v, want an error naming %s", err, tt.wantKey)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the error repeats the token: %v", err)
			}
		})
	}
}
