// Command dashboard is the ccdash server: it polls the contact-center vendors, keeps
// one snapshot in memory and serves live boards. With no config it runs the demo on
// the built-in simulator.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		// Config errors are one line per problem; each line says who is talking.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "dashboard:", line)
		}
		os.Exit(1)
	}
}

// run is the whole program, so tests can start it on :0 and stop it with ctx.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "hash-password":
			return runHashPassword(stdin, stdout, stderr)
		case "token":
			return runToken(ctx, args[1:], getenv, stdout, stderr)
		case "api-token":
			return runAPIToken(ctx, args[1:], getenv, stdout, stderr)
		case "embed-url":
			return runEmbedURL(args[1:], getenv, time.Now(), stdout, stderr)
		case "version":
			return runVersion(stdout)
		case "check-config":
			return runCheckConfig(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	return serve(ctx, args, getenv, stdout, stderr, nil)
}
