package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/field"
)

// UserConfig is one account that may sign in.
type UserConfig struct {
	// Name is the login name.
	Name string `yaml:"name"`
	// PasswordHash is a bcrypt hash from `dashboard hash-password`; never the password.
	PasswordHash string `yaml:"password_hash"`
	// Role is admin (everything, and /admin/devices), manager or viewer.
	Role string `yaml:"role"`
	// Skills limits a manager or viewer to these skill keys ("comm100:<id>") on every
	// board, in pushed updates and in /api/v1/snapshot. Empty means all skills.
	Skills []string `yaml:"skills"`
}

// SessionConfig bounds signed-in sessions.
type SessionConfig struct {
	// IdleTimeout ends a session after this long without a request. Zero means 12h.
	IdleTimeout Duration `yaml:"idle_timeout"`
	// Lifetime ends a session this long after sign-in whatever the activity. Zero means 168h.
	Lifetime Duration `yaml:"lifetime"`
}

// validateAuth checks the access-control keys; the users' rules are auth's
// (auth.ValidateUsers). Errors name the key, never a value that could be a secret.
func (c *Config) validateAuth() error {
	errs := []error{field.Within("users", auth.ValidateUsers(authUsers(c.Users)))}
	if c.EmbedKey != "" {
		if _, err := parseEmbedKey(c.EmbedKey); err != nil {
			errs = append(errs, field.Within("embed_key", err))
		}
	}
	for i, o := range c.EmbedOrigins {
		if _, err := auth.ParseOrigin(o); err != nil {
			errs = append(errs, field.Errorf(fmt.Sprintf("embed_origins[%d]", i), "%v", err))
		}
	}
	if c.Sessions.IdleTimeout < 0 {
		errs = append(errs, field.Errorf("sessions.idle_timeout", "must not be negative"))
	}
	if c.Sessions.Lifetime < 0 {
		errs = append(errs, field.Errorf("sessions.lifetime", "must not be negative"))
	}
	return errors.Join(errs...)
}

// parseEmbedKey accepts the key as base64url (what `dashboard` writes) or standard
// base64, at least 32 bytes. The error never repeats the key.
func parseEmbedKey(s string) ([]byte, error) {
	if k, err := auth.ParseSigningKey(s); err == nil {
		return k, nil
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("not base64 (make one with: head -c 32 /dev/urandom | base64)")
	}
	if len(k) < auth.MinKeyBytes {
		return nil, fmt.Errorf("is %d bytes, want at least %d", len(k), auth.MinKeyBytes)
	}
	return k, nil
}

// baseURL is where browsers reach the server, for printed links.
func (c *Config) baseURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	return (&url.URL{Scheme: "http", Host: c.Listen}).String()
}

// authUsers converts the config's users for auth.NewUsers.
func authUsers(list []UserConfig) []auth.User {
	out := make([]auth.User, 0, len(list))
	for _, u := range list {
		out = append(out, auth.User{Name: u.Name, PasswordHash: u.PasswordHash, Role: auth.Role(u.Role), Skills: u.Skills})
	}
	return out
}
