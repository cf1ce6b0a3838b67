package server

import "strings"

// BuildInfo is the running binary's version, shown on /healthz and the admin pages so
// an operator can tell which build a screen is talking to.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"built,omitempty"`
}

// String is "1.2.0 (commit 3f2a…, built 2026-12-01T20:00:00Z)", leaving out what is unknown.
func (b BuildInfo) String() string {
	v := b.Version
	if v == "" {
		v = "dev"
	}
	var extra []string
	if b.Commit != "" {
		extra = append(extra, "commit "+b.Commit)
	}
	if b.Date != "" {
		extra = append(extra, "built "+b.Date)
	}
	if len(extra) == 0 {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}
