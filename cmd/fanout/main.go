// Command fanout is the fan-out probe of issue 15: it opens N WebSocket clients on a
// wall and reports how one broadcast spreads across them, what a message weighs, and
// what the server spends per socket and per delivered message — measured on the server
// process from /proc, so the probe's own work is not counted.
//
//	fanout --sockets 1000 --duration 60s                 # the ccdash demo wall (bin/dashboard)
//	fanout --sockets 1000 --duration 60s --bare          # a bare coder/websocket push server
//	fanout --sockets 10000 --duration 30s --storm        # then restart it: a reconnect storm
//	fanout --sockets 1000 --duration 30s --idle          # nothing changes: idle CPU per socket
//	fanout --table 1000,5000,10000                       # all of it for both servers, as a table
//	                                                     # (the storm at the largest count)
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
	idle      bool
	serverLog *os.File // the servers' stderr, for finding out why a run went wrong
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
	fs.BoolVar(&o.idle, "idle", false, "measure idle sockets: the server has nothing to push (ccdash: --sim-interval 1h; bare: one broadcast an hour)")
	table := fs.String("table", "", "comma-separated socket counts (e.g. 1000,5000,10000): measure ccdash and the bare server at each, with traffic and idle, and print a Markdown table")
	idleFor := fs.Duration("idle-duration", 30*time.Second, "with --table: how long to measure idle sockets")
	logPath := fs.String("server-log", "", "append the servers' stderr (their logs) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.sockets < 1 || o.duration <= 0 {
		return fmt.Errorf("--sockets must be ≥ 1 and --duration > 0")
	}
	if err := raiseFileLimit(); err != nil {
		return err
	}
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("--server-log: %w", err)
		}
		defer f.Close()
		o.serverLog = f
	}
	if *table != "" {
		counts, err := parseCounts(*table)
		if err != nil {
			return err
		}
		return runTable(ctx, o, counts, *idleFor, stdout)
	}
	res, err := probe(ctx, o)
	if err != nil {
		return err
	}
	res.print(stdout)
	return nil
}

// probe starts the server o names, measures it and stops it.
func probe(ctx context.Context, o options) (result, error) {
	var target *server
	var err error
	if o.bare {
		target, err = startBare(ctx, o)
	} else {
		target, err = startDashboard(ctx, o)
	}
	if err != nil {
		return result{}, err
	}
	defer target.close()
	return measure(ctx, target, o)
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
