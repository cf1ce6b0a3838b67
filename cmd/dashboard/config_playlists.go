package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/server"
	"github.com/ccdash/ccdash/internal/views"
)

// defaultPlaylistDuration is how long a playlist entry shows when it says nothing.
const defaultPlaylistDuration = 30 * time.Second

// PlaylistConfig is a named list of boards a device can be bound to.
type PlaylistConfig struct {
	// ID names the playlist on the screens page and in `dashboard token`.
	ID string `yaml:"id"`
	// Title is shown on the screens page. Empty means the id.
	Title string `yaml:"title"`
	// PinOnAlert keeps a screen on a board of the playlist while it shows an alert.
	// Default false.
	PinOnAlert bool `yaml:"pin_on_alert"`
	// Boards are shown in turn.
	Boards []PlaylistEntryConfig `yaml:"boards"`
}

// PlaylistEntryConfig is one board of a playlist.
type PlaylistEntryConfig struct {
	// Board is a board id of boards:.
	Board string `yaml:"board"`
	// Duration is how long it shows per turn (≥ 5s). Zero means 30s.
	Duration Duration `yaml:"duration"`
	// Hours limits it to a time of day, "08:00-18:00" (server time). Empty means all day.
	Hours string `yaml:"hours"`
}

// playlist is the config's playlist as the server uses it; the hours are checked by
// validatePlaylists first.
func (pc PlaylistConfig) playlist() (screens.Playlist, error) {
	p := screens.Playlist{ID: pc.ID, Title: pc.Title, PinOnAlert: pc.PinOnAlert}
	var errs []error
	for i, e := range pc.Boards {
		d := time.Duration(e.Duration)
		if d == 0 {
			d = defaultPlaylistDuration
		}
		w, err := screens.ParseWindow(e.Hours)
		if err != nil {
			errs = append(errs, field.Errorf(fmt.Sprintf("boards[%d].hours", i), "%v", err))
		}
		p.Entries = append(p.Entries, screens.Entry{Board: e.Board, Duration: d, Window: w})
	}
	return p, errors.Join(errs...)
}

// validatePlaylists checks each playlist (screens.Playlist.Validate owns the rules)
// against the configured boards, at playlists[i]; ids must be unique.
func (c *Config) validatePlaylists() error {
	_, err := buildPlaylists(c.Playlists, c.boardIDs())
	return err
}

// boardIDs are the ids of the configured boards (the default board without any).
func (c *Config) boardIDs() map[string]bool {
	ids := map[string]bool{}
	for _, b := range c.Boards {
		ids[b.ID] = true
	}
	if len(c.Boards) == 0 {
		ids[views.DefaultBoard().ID] = true
	}
	return ids
}

// buildPlaylists turns the config's playlists into the server's, with field errors.
func buildPlaylists(cfgs []PlaylistConfig, boards map[string]bool) ([]screens.Playlist, error) {
	var out []screens.Playlist
	var errs []error
	seen := map[string]bool{}
	for i, pc := range cfgs {
		key := fmt.Sprintf("playlists[%d]", i)
		p, err := pc.playlist()
		err = errors.Join(err, p.Validate(func(b string) bool { return boards[b] }))
		if seen[pc.ID] {
			err = errors.Join(err, field.Errorf("id", "duplicate playlist id %q", pc.ID))
		}
		seen[pc.ID] = true
		if err != nil {
			errs = append(errs, field.Within(key, err))
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// buildScreens is the server's playlists: the config's, and the store of those made
// on /admin/screens in data_dir/ccdash.db (or Redis on replicas: rc set, with watch
// following the other replicas' changes).
func buildScreens(cfg *Config, db *bolt.DB, rc *redis.Client) (server.ScreensOptions, watchFunc, error) {
	ps, err := buildPlaylists(cfg.Playlists, cfg.boardIDs())
	if err != nil {
		return server.ScreensOptions{}, nil, err
	}
	store, watch, notify, err := openPlaylistStore(cfg, db, rc)
	if err != nil {
		return server.ScreensOptions{}, nil, err
	}
	return server.ScreensOptions{Playlists: ps, Store: store, Notify: notify}, watch, nil
}
