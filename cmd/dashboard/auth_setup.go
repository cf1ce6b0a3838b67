package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/cluster"
	"github.com/ccdash/ccdash/internal/redisstore"
	"github.com/ccdash/ccdash/internal/server"
)

// Files in data_dir.
const (
	stateFile    = "ccdash.db"        // bbolt: device tokens (hashes), sessions; one process at a time
	oldStateFile = "devices.db"       // stateFile's name before sessions moved in; renamed on open
	embedKeyFile = "embed.key"        // the generated embed signing key, when config has none
	csrfKeyFile  = "csrf.key"         // signs the forms' CSRF tokens, so open forms survive restarts
	demoWallFile = "demo-wall.secret" // the demo wall's device secret, reused across restarts
)

// authSetup is access control built from the config, and what to close at exit.
type authSetup struct {
	opts     server.AuthOptions
	db       *bolt.DB
	devices  auth.DeviceStore   // bolt, or Redis on replicas
	sessions *bolt.SessionStore // nil when sessions are in Redis
	redis    *redis.Client
	prefix   string // the fleet's Redis key prefix, with redis
}

// apiTokenStore is where API tokens are kept: data_dir, or Redis on replicas.
func (a *authSetup) apiTokenStore() (auth.APITokenStore, error) {
	if a.redis != nil {
		return redisstore.NewAPITokenStore(a.redis, a.prefix), nil
	}
	st, err := bolt.NewAPITokenStore(a.db)
	if err != nil {
		return nil, fmt.Errorf("API tokens: %w", err)
	}
	return st, nil
}

// run deletes expired sessions from data_dir until ctx is done.
func (a *authSetup) run(ctx context.Context) {
	if a.sessions != nil {
		a.sessions.Run(ctx)
	}
}

func (a *authSetup) Close() {
	if a.db != nil {
		_ = a.db.Close()
	}
	if a.redis != nil {
		_ = a.redis.Close()
	}
}

// buildAuth opens the device store and the embed key in data_dir and builds the
// server's access options. demoAdmin, if set, is added as an admin user.
func buildAuth(cfg *Config, demoAdmin *auth.User, log *slog.Logger) (*authSetup, error) {
	list := authUsers(cfg.Users)
	if demoAdmin != nil {
		list = append(list, *demoAdmin)
	}
	users, err := auth.NewUsers(list)
	if err != nil {
		return nil, fmt.Errorf("config: users: %w", err)
	}
	db, devices, err := openDevices(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a := &authSetup{db: db, devices: devices}
	key, err := embedKey(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	csrfKey, err := keyFile(filepath.Join(cfg.DataDir, csrfKeyFile))
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("csrf key: %w", err)
	}
	embeds, err := bolt.NewEmbedLinkStore(db)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("embed links: %w", err)
	}
	a.opts = server.AuthOptions{
		Users: users, Devices: devices, EmbedKey: key, EmbedLinks: embeds, EmbedOrigins: cfg.EmbedOrigins, CSRFKey: csrfKey,
		PublicURL: cfg.PublicURL, TrustProxy: cfg.TrustProxy,
		IdleTimeout: cfg.Sessions.IdleTimeout.D(), Lifetime: cfg.Sessions.Lifetime.D(),
	}
	if cfg.RedisURL == "" {
		// One replica: sessions in data_dir, so a restart signs nobody out.
		if a.sessions, err = bolt.NewSessionStore(db, bolt.SessionOptions{SignedIn: auth.SessionSignedIn, Logger: log}); err != nil {
			a.Close()
			return nil, fmt.Errorf("sessions: %w", err)
		}
		a.opts.SessionStore = a.sessions
	} else {
		if a.redis, err = cluster.NewClient(cfg.RedisURL); err != nil {
			a.Close()
			return nil, fmt.Errorf("config: redis_url: %w", err)
		}
		a.opts.SessionStore = goredisstore.New(a.redis)
		// Replicas share device links: one made (or revoked) on any opens (or closes) everywhere.
		prefix := clusterPrefix(cfg)
		a.prefix = prefix
		a.devices = redisstore.NewDeviceStore(a.redis, prefix)
		a.opts.Devices = a.devices
		a.opts.EmbedLinks = redisstore.NewEmbedLinkStore(a.redis, prefix)
		if err := a.shareKeys(cfg, prefix); err != nil {
			a.Close()
			return nil, err
		}
		log.Info("sessions and device links in redis", "redis", cluster.Describe(cfg.RedisURL))
	}
	return a, nil
}

// shareKeys makes the CSRF key, and the embed key unless the config sets one, the same
// on every replica: a form or embed link made by one must work on all.
func (a *authSetup) shareKeys(cfg *Config, prefix string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	k, err := redisstore.SharedKey(ctx, a.redis, prefix+"csrf_key", auth.NewSigningKey)
	if err != nil {
		return fmt.Errorf("csrf key: %w", err)
	}
	a.opts.CSRFKey = k
	if cfg.EmbedKey == "" {
		if a.opts.EmbedKey, err = redisstore.SharedKey(ctx, a.redis, prefix+"embed_key", auth.NewSigningKey); err != nil {
			return fmt.Errorf("embed key: %w", err)
		}
	}
	return nil
}

// openState opens data_dir/ccdash.db, saying plainly when another process (the running
// server, for the CLI) holds it. A data_dir from before sessions were kept has the same
// file as devices.db: it is renamed, so its device links keep working.
func openState(dataDir string) (*bolt.DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data_dir: %w", err)
	}
	path := filepath.Join(dataDir, stateFile)
	for _, c := range []struct{ path, what string }{{dataDir, "data_dir"}, {path, "state file"}} {
		if err := checkNotWritableByOthers(c.path, c.what); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(filepath.Join(dataDir, oldStateFile), path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("state file: %w", err)
		}
	}
	db, err := bolt.Open(path)
	if errors.Is(err, bolt.ErrInUse) {
		return nil, fmt.Errorf("state file: %s is locked by another process — is the dashboard server running with this data_dir? "+
			"Stop it to use `dashboard token`, or manage devices at /admin/devices while it runs", path)
	}
	if err != nil {
		return nil, fmt.Errorf("state file: %w", err)
	}
	return db, nil
}

// openDevices opens the state file and its device store; close the DB when done.
func openDevices(dataDir string) (*bolt.DB, *bolt.DeviceStore, error) {
	db, err := openState(dataDir)
	if err != nil {
		return nil, nil, err
	}
	devices, err := bolt.NewDeviceStore(db)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("device tokens: %w", err)
	}
	return db, devices, nil
}

// embedKey returns the configured signing key, or the one kept in data_dir (made on
// first use), so embed URLs survive restarts.
func embedKey(cfg *Config) ([]byte, error) {
	if cfg.EmbedKey != "" {
		k, err := parseEmbedKey(cfg.EmbedKey)
		if err != nil {
			return nil, fmt.Errorf("config: embed_key: %w", err)
		}
		return k, nil
	}
	k, err := keyFile(filepath.Join(cfg.DataDir, embedKeyFile))
	if err != nil {
		return nil, fmt.Errorf("embed key: %w", err)
	}
	return k, nil
}

// keyFile returns the signing key kept in path, making it on first use.
func keyFile(path string) ([]byte, error) {
	if err := checkNotWritableByOthers(path, "key file"); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if err == nil {
		k, err := auth.ParseSigningKey(string(raw))
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k := auth.NewSigningKey()
	if err := writeSecretFile(path, auth.EncodeSigningKey(k)+"\n"); err != nil {
		return nil, err
	}
	return k, nil
}

// writeSecretFile creates path (owner-only) with content, never overwriting.
func writeSecretFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// newDemoAdmin makes the demo's admin account with a random password, new at every
// start (a session from an earlier run ends with it: its password stamp changed) and
// printed once to stdout.
func newDemoAdmin(stdout io.Writer) (*auth.User, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	pw := base64.RawURLEncoding.EncodeToString(b)
	h, err := auth.HashPassword(pw)
	if err != nil {
		return nil, fmt.Errorf("demo admin: %w", err)
	}
	fmt.Fprintf(stdout, "demo: admin login: user admin, password %s (new at every start)\n", pw)
	return &auth.User{Name: "admin", PasswordHash: h, Role: auth.RoleAdmin}, nil
}

// demoWallURL returns the demo wall's link: its device secret is kept in data_dir
// and reused, so a bookmarked URL keeps working across restarts; a missing, unknown
// or revoked one is replaced.
func demoWallURL(ctx context.Context, devices auth.DeviceStore, dataDir, base, board string) (string, error) {
	path := filepath.Join(dataDir, demoWallFile)
	if raw, err := os.ReadFile(path); err == nil {
		secret := strings.TrimSpace(string(raw))
		d, err := devices.Verify(ctx, secret)
		if err == nil && d.Board == board {
			return auth.WallURL(base, board, secret)
		}
		if err := os.Remove(path); err != nil {
			return "", fmt.Errorf("demo wall: %w", err)
		}
	}
	_, secret, err := devices.Create(ctx, board, "Demo wall")
	if err != nil {
		return "", fmt.Errorf("demo wall: %w", err)
	}
	if err := writeSecretFile(path, secret+"\n"); err != nil {
		return "", fmt.Errorf("demo wall: %w", err)
	}
	return auth.WallURL(base, board, secret)
}
