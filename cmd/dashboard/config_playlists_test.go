package main

import (
	"strings"
	"testing"
	"time"
)

func TestPlaylistsConfig(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte(`
boards: [{id: sales}, {id: support}]
playlists:
  - id: floor
    pin_on_alert: true
    boards:
      - {board: sales, duration: 1m, hours: "08:00-18:00"}
      - {board: support}
`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := buildPlaylists(c.Playlists, c.boardIDs())
	if err != nil || len(ps) != 1 {
		t.Fatalf("buildPlaylists = %+v, %v", ps, err)
	}
	p := ps[0]
	if !p.PinOnAlert || p.Entries[0].Duration != time.Minute || p.Entries[0].Window.String() != "08:00-18:00" ||
		p.Entries[1].Duration != defaultPlaylistDuration || p.Entries[1].Window.Set {
		t.Errorf("playlist = %+v", p)
	}
}

func TestPlaylistsConfigErrorsNameTheKey(t *testing.T) {
	t.Parallel()
	_, err := ParseConfig([]byte(`
boards: [{id: sales}]
playlists:
  - id: floor
    boards:
      - {board: salse}
      - {board: sales, duration: 1s, hours: "8-18"}
  - id: floor
    boards: [{board: sales}]
  - id: empty
`), env(nil))
	if err == nil {
		t.Fatal("invalid playlists accepted")
	}
	for _, want := range []string{
		`playlists[0].boards[0].board: "salse": no board has this id`,
		`playlists[0].boards[1].hours: "8-18": want HH:MM-HH:MM`,
		"playlists[0].boards[1].duration: must be at least 5s (got 1s)",
		`playlists[1].id: duplicate playlist id "floor"`,
		"playlists[2].boards: a playlist needs at least one board",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
