package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// runCheckConfig is `dashboard check-config [--data-dir DIR] [--online] FILE`: the
// file is read, expanded and validated exactly as at start-up (the same messages, one
// problem per line, exit 1 if any), then data_dir is checked for what the server will
// need. It changes nothing and needs no running server, so it is safe before a
// restart or a reload. --online then makes one authenticated request per source
// (checkOnline).
func runCheckConfig(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", "", "check this state directory instead of the config's data_dir (as --data-dir at start-up)")
	online := fs.Bool("online", false, "also make one authenticated request per source and say whether its credentials work")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: dashboard check-config [--data-dir DIR] [--online] FILE")
	}
	path := fs.Arg(0)
	cfg, err := LoadConfig(path, getenv)
	if err != nil {
		return err
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	// What start-up builds beyond validation, so nothing it refuses passes here.
	if _, err := buildSources(cfg.Sources); err != nil {
		return err
	}
	if _, err := buildBoards(cfg.Boards, 0); err != nil {
		return err
	}
	note, err := checkDataDir(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("config: data_dir: %w", err)
	}
	fmt.Fprintf(stdout, "%s: OK (%d sources, %d boards, %d users); data_dir %s\n", path, len(cfg.Sources), max(len(cfg.Boards), 1), len(cfg.Users), note)
	if *online {
		return checkOnline(ctx, cfg.Sources, stdout)
	}
	return nil
}

// checkDataDir says whether the server can keep its state in dir: an existing
// directory must be writable by this user and closed to everyone else (it holds the
// device and session database and the embed signing key), as the server makes it
// (0700). A missing one must be creatable.
func checkDataDir(dir string) (string, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		parent := filepath.Dir(filepath.Clean(dir))
		for {
			pst, perr := os.Stat(parent)
			if perr == nil {
				if !pst.IsDir() {
					return "", fmt.Errorf("%s cannot be created: %s is not a directory", dir, parent)
				}
				if err := writable(parent); err != nil {
					return "", fmt.Errorf("%s does not exist and cannot be created here: %w", dir, err)
				}
				return dir + " will be created (mode 0700) at first start", nil
			}
			next := filepath.Dir(parent)
			if next == parent {
				return "", fmt.Errorf("%s: no existing parent directory", dir)
			}
			parent = next
		}
	}
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%s has mode %04o: other users could read or change device links and the embed key; run chmod 700 %s", dir, perm, dir)
	}
	if err := writable(dir); err != nil {
		return "", fmt.Errorf("%s is not writable by this user: %w", dir, err)
	}
	return fmt.Sprintf("%s is writable, mode %04o", dir, st.Mode().Perm()), nil
}

// writable creates and removes a file in dir: the only sure test (permissions, ACLs,
// read-only mounts and systemd's ProtectSystem all have a say).
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".ccdash-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
