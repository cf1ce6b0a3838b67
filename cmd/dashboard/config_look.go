package main

import (
	"net/url"
	"strings"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/views"
)

// BoardLook is how a board orders its skills, flags agents and looks: keys that sit
// directly under the board in the config.
type BoardLook struct {
	// Order is severity (worst first, then by name; the default), name or config
	// (the order of the board's skills list).
	Order string `yaml:"order"`
	// AgentThresholds flag agents too long in a state on the wall. Zero means the
	// default (away 10m, back_soon 5m, busy none); a negative value switches one off.
	AgentThresholds AgentThresholdsConfig `yaml:"agent_thresholds"`
	// Theme is dark (the default) or light, for the wall.
	Theme string `yaml:"theme"`
	// Accent is a #rrggbb colour for the board's decorations. Empty means the default.
	Accent string `yaml:"accent"`
	// Logo is a URL on this server ("/brand/logo.svg", or a full URL on public_url's
	// origin) shown in the wall's header. Empty means none.
	Logo string `yaml:"logo"`
	// Title is the board's title (boards[].title); kept here only for the docs.
}

// AgentThresholdsConfig is agent_thresholds.
type AgentThresholdsConfig struct {
	Away     Duration `yaml:"away"`
	BackSoon Duration `yaml:"back_soon"`
	Busy     Duration `yaml:"busy"`
}

// resolveLogo turns logo into a path on this server (the rest of the look is
// checked by views.Board.Validate); publicURL is the config's.
func (l *BoardLook) resolveLogo(publicURL string) error {
	if l.Logo == "" {
		return nil
	}
	p, err := logoPath(l.Logo, publicURL)
	if err != nil {
		return field.Errorf("logo", "%s", err.Error())
	}
	l.Logo = p
	return nil
}

// logoPath turns logo into a path on this server: a path as is, a full URL only on
// public_url's origin (the page's Content-Security-Policy loads images from its own
// origin only).
func logoPath(logo, publicURL string) (string, error) {
	u, err := url.Parse(logo)
	if err != nil || strings.ContainsAny(logo, "\\\"'<> ") {
		return "", errString("not a valid URL")
	}
	if u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(logo, "//") {
		return u.RequestURI(), nil
	}
	pub, _ := url.Parse(publicURL)
	if publicURL == "" || pub == nil || u.Scheme != pub.Scheme || u.Host != pub.Host {
		return "", errString("must be a path on this server (\"/brand/logo.svg\") or a URL on public_url's origin")
	}
	return u.RequestURI(), nil
}

type errString string

func (e errString) Error() string { return string(e) }

// apply copies the look into the views board.
func (l BoardLook) apply(b *views.Board) {
	b.Order, b.Theme, b.Accent, b.LogoURL = l.Order, l.Theme, l.Accent, l.Logo
	b.AgentThresholds = views.AgentThresholds{Away: l.AgentThresholds.Away.D(), BackSoon: l.AgentThresholds.BackSoon.D(), Busy: l.AgentThresholds.Busy.D()}
}
