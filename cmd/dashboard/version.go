package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/ccdash/ccdash/internal/server"
)

// Stamped by `make build` (-ldflags "-X main.version=… -X main.commit=… -X
// main.buildDate=…"); a plain `go build` leaves them empty and buildInfo falls back
// to what the Go toolchain recorded.
var version, commit, buildDate string

// buildInfo is this binary's version, commit and build date.
func buildInfo() server.BuildInfo {
	b := server.BuildInfo{Version: version, Commit: commit, Date: buildDate}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// runVersion is `dashboard version`.
func runVersion(stdout io.Writer) error {
	_, err := fmt.Fprintln(stdout, "ccdash", buildInfo().String())
	return err
}
