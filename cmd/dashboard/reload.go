package main

import (
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// hangups delivers SIGHUP (systemctl reload) instead of letting it end the process.
func hangups() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}

// checkReload re-reads the config file on SIGHUP and says in the log whether it is
// valid, with every problem named by its YAML key. The running config always stays:
// applying a valid new file in place is not built yet, so the log says a restart
// applies it.
func checkReload(path string, getenv func(string) string, log *slog.Logger) {
	if path == "" {
		log.Warn("reload: no --config file to re-read; the demo keeps running")
		return
	}
	if _, err := LoadConfig(path, getenv); err != nil {
		log.Error("reload refused: the new config is invalid; the running one stays",
			"file", path, "problems", strings.ReplaceAll(err.Error(), "\n", "; "))
		return
	}
	log.Warn("reload: the new config is valid, but changes apply only at a restart (systemctl restart ccdash)", "file", path)
}
