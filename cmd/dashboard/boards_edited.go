package main

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"gopkg.in/yaml.v3"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/server"
	"github.com/ccdash/ccdash/internal/views"
)

// editedBoards is the server's BoardEditing: the boards edited on /admin/boards,
// kept in data_dir/ccdash.db (or Redis on replicas: rc set, with watch following the
// other replicas' edits), parsed by editedBoardParser.
func editedBoards(cfg *Config, db *bolt.DB, rc *redis.Client, staleAfter func() time.Duration) (server.BoardEditing, watchFunc, error) {
	st, audit, watch, err := openBoardStore(cfg, db, rc)
	if err != nil {
		return server.BoardEditing{}, nil, err
	}
	return server.BoardEditing{Store: st, Audit: audit, Parse: editedBoardParser(cfg.PublicURL, cfg.DataDir, staleAfter)}, watch, nil
}

// editedBoardParser parses an edited board — one entry of a boards list, as YAML —
// by putting it in a config document of its own and running the config file's
// parser on it: the same keys, checks and messages as at start-up
// ("config: boards[0].thresholds.waiting_crit: …"). Nothing is taken from the
// environment: ${NAME} in a form stays unexpanded and is refused, so no secret can
// be pulled into a page. staleAfter is the server's stale threshold of the moment
// (it follows reloads, as the config's boards do).
func editedBoardParser(publicURL, dataDir string, staleAfter func() time.Duration) func([]byte) (views.Board, error) {
	return func(src []byte) (views.Board, error) {
		var entry yaml.Node
		if err := yaml.Unmarshal(src, &entry); err != nil {
			return views.Board{}, fmt.Errorf("config: %s", yamlMessage(err))
		}
		if len(entry.Content) != 1 || entry.Content[0].Kind != yaml.MappingNode {
			return views.Board{}, configError(field.Errorf("boards[0]", "want a board (a mapping of its keys)"), nil)
		}
		doc := map[string]any{"boards": []*yaml.Node{entry.Content[0]}}
		if publicURL != "" {
			doc["public_url"] = publicURL
		}
		raw, err := yaml.Marshal(doc)
		if err != nil {
			return views.Board{}, fmt.Errorf("config: %w", err)
		}
		cfg, err := ParseConfig(raw, func(string) string { return "" })
		if err != nil {
			return views.Board{}, err
		}
		if cfg.Boards[0].Alerts != nil {
			return views.Board{}, configError(field.Errorf("boards[0].alerts", "alert rules are set in the config file only"), nil)
		}
		boards, err := buildBoards(cfg.Boards, staleAfter())
		if err != nil {
			return views.Board{}, err
		}
		if err := readLogos(boards, dataDir); err != nil {
			return views.Board{}, err
		}
		return boards[0], nil
	}
}

// loadEditedBoards serves the config's boards followed by the edited ones, at
// start-up: an unreadable store stops start-up.
func loadEditedBoards(ctx context.Context, srv *server.Server, boards []views.Board) error {
	if err := srv.ApplyBoards(ctx, boards); err != nil {
		return fmt.Errorf("boards: %w", err)
	}
	return nil
}
