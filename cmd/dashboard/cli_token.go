package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// hashPasswordCmd is `dashboard hash-password`: it reads one password line from stdin
// (so it never lands in shell history or the process list) and prints its bcrypt hash
// for the config file. A prompt, if wanted, is the caller's to print on stderr.
func hashPasswordCmd(stdin io.Reader, stdout io.Writer) error {
	// Read a little past bcrypt's limit so "too long" is detected, not silently cut.
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("hash-password: read stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	h, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("hash-password: %w", err)
	}
	if _, err := fmt.Fprintln(stdout, h); err != nil {
		return fmt.Errorf("hash-password: write: %w", err)
	}
	return nil
}

// tokenCreateCmd is `dashboard token create --board B|--playlist P --name N`: it creates a
// device token bound to b and prints its id and the wall URL holding the secret (opening
// on board, the playlist's first board for a playlist). This is the only time the secret
// is shown; the store keeps a hash.
func tokenCreateCmd(ctx context.Context, store auth.DeviceStore, b auth.Binding, board, name, baseURL string, out io.Writer) error {
	// Check the URL first so a bad flag doesn't leave a device nobody can use.
	if _, err := auth.WallURL(baseURL, "x", "x"); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	d, secret, err := store.Create(ctx, board, name)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	shows := "board " + board
	if b.Playlist != "" {
		if err := store.Bind(ctx, d.ID, b); err != nil {
			_ = store.Revoke(ctx, d.ID) // a device bound to the wrong thing must not stay usable
			return fmt.Errorf("token create: %w", err)
		}
		shows = "playlist " + b.Playlist
	}
	link, err := auth.WallURL(baseURL, board, secret)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	_, err = fmt.Fprintf(out, "Created device %s (%q) for %s.\n"+
		"Open this URL once on the display; it is shown only now:\n\n  %s\n\n"+
		"Revoke with: dashboard token revoke %s\n", d.ID, d.Name, shows, link, d.ID)
	if err != nil {
		return fmt.Errorf("token create: write: %w", err)
	}
	return nil
}

// tokenListCmd is `dashboard token list`: a table of devices with last-seen times.
func tokenListCmd(ctx context.Context, store auth.DeviceStore, out io.Writer) error {
	devs, err := store.List(ctx)
	if err != nil {
		return fmt.Errorf("token list: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBOARD\tNAME\tCREATED\tLAST SEEN\tSTATUS")
	for _, d := range devs {
		seen := "never"
		if !d.LastSeen.IsZero() {
			seen = d.LastSeen.UTC().Format(time.RFC3339)
		}
		status := "active"
		if d.Revoked {
			status = "revoked"
		}
		shows := d.Board
		if d.Playlist != "" {
			shows = "playlist:" + d.Playlist
		}
		fmt.Fprintf(tw, "%s\t%s\t%q\t%s\t%s\t%s\n", d.ID, shows, d.Name, d.CreatedAt.UTC().Format(time.RFC3339), seen, status)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("token list: write: %w", err)
	}
	return nil
}

// tokenRevokeCmd is `dashboard token revoke ID`.
func tokenRevokeCmd(ctx context.Context, store auth.DeviceStore, id string, out io.Writer) error {
	if err := store.Revoke(ctx, id); err != nil {
		return fmt.Errorf("token revoke: %w", err)
	}
	if _, err := fmt.Fprintf(out, "Revoked device %s; its display shows \"unlinked\" at its next ping.\n", id); err != nil {
		return fmt.Errorf("token revoke: write: %w", err)
	}
	return nil
}
