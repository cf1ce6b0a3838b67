// Command fanout is the fan-out probe of issue 15: it opens N WebSocket clients on a
// wall and reports how one broadcast spreads across them, what a message weighs, and
// what the server spends per socket and per delivered message — measured on the server
// process from /proc, so the probe's own work is not counted.
//
//	fanout --sockets 1000 --duration 60s                 # the ccdash demo wall (bin/dashboard)
//	fanout --sockets 1000 --duration 60s --bare          # a bare coder/websocket push server
//	fanout --sockets 10000 --duration 30s --storm        # then restart it: a reconnect storm
//
// Both servers run as child processes of the probe on loopback. The clients dial from
// many loopback addresses (127.0.0.2 …) so per-address connection limits and ephemeral
// ports are no bottleneck, and they only read.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(1)
	}
}

type options struct {
	sockets   int
	duration  time.Duration
	bare      bool
	dashboard string
	every     time.Duration
	size      int
	storm     bool
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "bare-server" {
		return runBareServer(ctx, args[1:], stdout)
	}
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.sockets, "sockets", 1000, "WebSocket clients to open")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long to measure after every client has its full state")
	fs.BoolVar(&o.bare, "bare", false, "measure the bare coder/websocket push server instead of ccdash")
	fs.StringVar(&o.dashboard, "dashboard", "bin/dashboard", "the dashboard binary to start (demo mode)")
	fs.DurationVar(&o.every, "every", time.Second, "bare server only: time between broadcasts")
	fs.IntVar(&o.size, "size", 1024, "bare server only: bytes per broadcast")
	fs.BoolVar(&o.storm, "storm", false, "after measuring, restart the server and time every socket's reconnection")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.sockets < 1 || o.duration <= 0 {
		return fmt.Errorf("--sockets must be ≥ 1 and --duration > 0")
	}
	if err := raiseFileLimit(); err != nil {
		return err
	}
	var target *server
	var err error
	if o.bare {
		target, err = startBare(ctx, o)
	} else {
		target, err = startDashboard(ctx, o)
	}
	if err != nil {
		return err
	}
	defer target.close()
	res, err := measure(ctx, target, o)
	if err != nil {
		return err
	}
	res.print(stdout)
	return nil
}

func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("setrlimit: %w", err)
	}
	return nil
}
