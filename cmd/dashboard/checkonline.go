package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// onlineTimeout bounds each source's credential check.
const onlineTimeout = 30 * time.Second

// credentialChecker is a connector that can prove its credentials with one
// authenticated call (comm100.Source.Check, liveperson.Source.Check).
type credentialChecker interface {
	Check(ctx context.Context) error
}

// checkOnline makes one authenticated request per source, through the connectors'
// own auth code and a client of its own (this process's budget, not the running
// server's), and prints "sources[i] (id): credentials OK" or why not. It returns an
// error if any source failed.
func checkOnline(ctx context.Context, cfgs []SourceConfig, stdout io.Writer) error {
	if len(cfgs) == 0 {
		fmt.Fprintln(stdout, "no sources: the built-in demo simulator needs no credentials")
		return nil
	}
	failed := 0
	for i, sc := range cfgs {
		key := fmt.Sprintf("sources[%d] (%s)", i, sc.ID)
		src, err := buildSource(sc)
		if err == nil {
			err = checkSource(ctx, src.Source)
		}
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "%s: %s\n", key, onlineProblem(err))
			continue
		}
		fmt.Fprintf(stdout, "%s: credentials OK\n", key)
	}
	if failed > 0 {
		return fmt.Errorf("check-config --online: %d of %d sources failed", failed, len(cfgs))
	}
	return nil
}

func checkSource(ctx context.Context, src poller.Source) error {
	c, ok := src.(credentialChecker)
	if !ok {
		return fmt.Errorf("a %s source cannot be checked online", src.Kind())
	}
	ctx, cancel := context.WithTimeout(ctx, onlineTimeout)
	defer cancel()
	return c.Check(ctx)
}

// onlineProblem says why a check failed, in the words the boards use, never with a
// response body or a credential.
func onlineProblem(err error) string {
	var pe *poller.Error
	if !errors.As(err, &pe) {
		return err.Error()
	}
	if pe.Kind == snapshot.ErrAuth {
		return "credentials refused (" + pe.Summary() + ")"
	}
	return pe.Summary()
}
