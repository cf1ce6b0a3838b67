package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/views"
)

// cliConfig is what the token and embed-url subcommands share: the config file (for
// data_dir, public_url and boards) and a data-dir override.
type cliConfig struct {
	config, dataDir string
}

func (c *cliConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "YAML config file (for data_dir, public_url, boards, embed_key)")
	fs.StringVar(&c.dataDir, "data-dir", "", "state directory (overrides the config's data_dir)")
}

func (c *cliConfig) load(getenv func(string) string) (*Config, []views.Board, error) {
	cfg := &Config{}
	var err error
	if c.config != "" {
		if cfg, err = LoadConfig(c.config, getenv); err != nil {
			return nil, nil, err
		}
	} else if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if c.dataDir != "" {
		cfg.DataDir = c.dataDir
	}
	boards, err := buildBoards(cfg.Boards, 0) // the CLI needs board ids only
	if err != nil {
		return nil, nil, err
	}
	return cfg, boards, nil
}

func hasBoard(boards []views.Board, id string) bool {
	return slices.ContainsFunc(boards, func(b views.Board) bool { return b.ID == id })
}

// runHashPassword is `dashboard hash-password`: one password line on stdin, its bcrypt
// hash on stdout for users[].password_hash.
func runHashPassword(stdin io.Reader, stdout, stderr io.Writer) error {
	fmt.Fprintln(stderr, "Type the password and press Enter (it is read from stdin, not echoed back):")
	return hashPasswordCmd(stdin, stdout)
}

// runToken is `dashboard token create|list|revoke`. bbolt locks the device store, so
// with one replica these work only while the server is stopped (the error says so);
// on replicas (redis_url) they change the fleet's devices in Redis at any time.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := fmt.Errorf("usage: dashboard token create --board ID|--playlist ID --name NAME | token list | token revoke ID  [--config FILE] [--data-dir DIR]")
	if len(args) == 0 {
		return usage
	}
	var cc cliConfig
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cc.flags(fs)
	board := fs.String("board", "", "create: the board the display shows")
	playlist := fs.String("playlist", "", "create: the playlist the display shows (instead of --board)")
	name := fs.String("name", "", "create: a name to recognise the display by, e.g. \"Floor 2 TV\"")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, boards, err := cc.load(getenv)
	if err != nil {
		return err
	}
	switch args[0] {
	case "create":
		if fs.NArg() != 0 || (*board == "") == (*playlist == "") || *name == "" {
			return fmt.Errorf("token create: --name and one of --board or --playlist are required")
		}
		if *board != "" && !hasBoard(boards, *board) {
			return fmt.Errorf("token create: no board %q in the config", *board)
		}
	case "list":
		if fs.NArg() != 0 {
			return usage
		}
	case "revoke":
		if fs.NArg() != 1 {
			return fmt.Errorf("token revoke: give the device ID (see `dashboard token list`)")
		}
	default:
		return usage
	}
	st, err := openCLIStores(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	store := st.devices
	switch args[0] {
	case "create":
		b, first := auth.Binding{Board: *board}, *board
		if *playlist != "" {
			p, err := cliPlaylist(ctx, cfg, st.playlists, *playlist)
			if err != nil {
				return err
			}
			b, first = auth.Binding{Playlist: p.ID}, p.Entries[0].Board
		}
		return tokenCreateCmd(ctx, store, b, first, *name, cfg.baseURL(), stdout)
	case "list":
		return tokenListCmd(ctx, store, stdout)
	default:
		return tokenRevokeCmd(ctx, store, fs.Arg(0), stdout)
	}
}

// runEmbedURL is `dashboard embed-url --board B [--tile T] [--expires 720h]`: it prints
// a signed embed link. It needs the same key as the server (embed_key in config, or
// the one in data_dir, made on first use).
func runEmbedURL(args []string, getenv func(string) string, now time.Time, stdout, stderr io.Writer) error {
	var cc cliConfig
	fs := flag.NewFlagSet("embed-url", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cc.flags(fs)
	board := fs.String("board", "", "the board to embed")
	tile := fs.String("tile", "", "embed one tile only: queue, skills, agents, today, freshness, or a tile id")
	expires := fs.Duration("expires", 0, "the link stops working after this long, e.g. 720h (default: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *board == "" {
		return fmt.Errorf("usage: dashboard embed-url --board ID [--tile queue] [--expires 720h] [--config FILE]")
	}
	if *expires < 0 {
		return fmt.Errorf("embed-url: --expires must be positive")
	}
	cfg, boards, err := cc.load(getenv)
	if err != nil {
		return err
	}
	if !hasBoard(boards, *board) {
		return fmt.Errorf("embed-url: no board %q in the config", *board)
	}
	b := boards[slices.IndexFunc(boards, func(b views.Board) bool { return b.ID == *board })]
	if err := views.CheckEmbedTile(b, *tile, sourceIDs(cfg)); err != nil {
		return fmt.Errorf("embed-url: --tile: %w", err)
	}
	key, err := embedKey(cfg)
	if err != nil {
		return err
	}
	// A key id per link, so the server lists it once used and can revoke it alone.
	c := auth.EmbedClaims{ID: auth.NewEmbedID(), Board: *board, Tile: *tile}
	if *expires > 0 {
		c.Expires = now.Add(*expires)
	}
	u, err := url.Parse(cfg.baseURL())
	if err != nil {
		return fmt.Errorf("embed-url: %w", err)
	}
	u = u.JoinPath("embed", *board)
	if *tile != "" {
		u = u.JoinPath("tiles", *tile)
	}
	u.RawQuery = url.Values{auth.EmbedParam: {auth.SignEmbed(key, c)}}.Encode()
	_, err = fmt.Fprintln(stdout, u.String())
	return err
}

// sourceIDs are the configured sources' ids, or the demo's when none is configured
// (the server then runs on the built-in simulator).
func sourceIDs(cfg *Config) []string {
	srcs := cfg.Sources
	if len(srcs) == 0 {
		srcs = demoSources("http://127.0.0.1", simulator.DefaultCredentials())
	}
	ids := make([]string, 0, len(srcs))
	for _, s := range srcs {
		ids = append(ids, s.ID)
	}
	return ids
}

// cliPlaylist finds playlist id in the config or among those made on /admin/screens.
func cliPlaylist(ctx context.Context, cfg *Config, store screens.Store, id string) (screens.Playlist, error) {
	ps, err := buildPlaylists(cfg.Playlists, cfg.boardIDs())
	if err != nil {
		return screens.Playlist{}, err
	}
	stored, err := store.List(ctx)
	if err != nil {
		return screens.Playlist{}, fmt.Errorf("token create: %w", err)
	}
	for _, p := range append(ps, stored...) {
		if p.ID == id && len(p.Entries) > 0 {
			return p, nil
		}
	}
	return screens.Playlist{}, fmt.Errorf("token create: no playlist %q in the config or made on /admin/screens", id)
}
