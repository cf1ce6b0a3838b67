package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
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
	// Logo is shown in the wall's header: a file in data_dir ("acme.svg"; png, svg,
	// jpg or webp, up to 1 MB) or a URL on this server ("/brand/logo.svg", or a
	// full URL on public_url's origin). Empty means none.
	Logo string `yaml:"logo"`
	// Title is the board's title (boards[].title); kept here only for the docs.
}

// AgentThresholdsConfig is agent_thresholds.
type AgentThresholdsConfig struct {
	Away     Duration `yaml:"away"`
	BackSoon Duration `yaml:"back_soon"`
	Busy     Duration `yaml:"busy"`
}

// resolveLogo turns logo into a path on this server, or leaves a data_dir file
// name as it is (serve reads it); the rest of the look is checked by
// views.Board.Validate. publicURL is the config's.
func (l *BoardLook) resolveLogo(publicURL string) error {
	if l.Logo == "" || logoFile(l.Logo) {
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

// logoFile reports whether logo names a file in data_dir: a plain image file name.
func logoFile(logo string) bool {
	if strings.ContainsAny(logo, "/\\:") || strings.HasPrefix(logo, ".") {
		return false
	}
	_, ok := views.LogoTypes[strings.ToLower(filepath.Ext(logo))]
	return ok
}

type errString string

func (e errString) Error() string { return string(e) }

// apply copies the look into the views board.
func (l BoardLook) apply(b *views.Board) {
	b.Order, b.Theme, b.Accent, b.LogoURL = l.Order, l.Theme, l.Accent, l.Logo
	if logoFile(l.Logo) {
		b.LogoFile, b.LogoURL = l.Logo, views.LogoFileURL(b.ID)
	}
	b.AgentThresholds = views.AgentThresholds{Away: l.AgentThresholds.Away.D(), BackSoon: l.AgentThresholds.BackSoon.D(), Busy: l.AgentThresholds.Busy.D()}
}

// maxLogo caps a logo file: it is sent to every wall.
const maxLogo = 1 << 20

// readLogos checks every board's logo file in dataDir now, so a missing or huge
// file stops start-up naming its key rather than showing a broken image on a TV,
// and makes the path absolute for the server.
func readLogos(boards []views.Board, dataDir string) error {
	for i := range boards {
		b := &boards[i]
		if b.LogoFile == "" {
			continue
		}
		p := filepath.Join(dataDir, b.LogoFile)
		st, err := os.Stat(p)
		switch {
		case err != nil:
			return configError(field.Errorf(fmt.Sprintf("boards[%d].logo", i), "%s: not found in data_dir %s", b.LogoFile, dataDir), nil)
		case !st.Mode().IsRegular() || st.Size() > maxLogo:
			return configError(field.Errorf(fmt.Sprintf("boards[%d].logo", i), "%s: want a file of at most 1 MB", b.LogoFile), nil)
		}
		b.LogoFile = p
	}
	return nil
}
