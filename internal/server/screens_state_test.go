package server

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// TestRotationPassOnlyWithAPlaylistScreen: the once-a-second rotation pass, which
// lists every wall socket, runs only while a device seen since start is bound to
// a playlist; walls bound to a board cost it nothing when idle.
func TestRotationPassOnlyWithAPlaylistScreen(t *testing.T) {
	st := newScreenState(ScreensOptions{}, time.Now)
	if st.anyOnPlaylist() {
		t.Fatal("no devices: anyOnPlaylist = true")
	}
	st.remember("tv1", auth.Binding{Board: "main"})
	st.remember("tv2", auth.Binding{Board: "sales"})
	if st.anyOnPlaylist() {
		t.Error("devices on boards only: anyOnPlaylist = true")
	}
	st.remember("tv2", auth.Binding{Playlist: "lobby"})
	if !st.anyOnPlaylist() {
		t.Error("tv2 on a playlist: anyOnPlaylist = false")
	}
	st.remember("tv2", auth.Binding{Board: "sales"}) // rebound to a board
	if st.anyOnPlaylist() {
		t.Error("tv2 rebound to a board: anyOnPlaylist = true")
	}
	st.remember("tv3", auth.Binding{Playlist: "lobby"})
	st.forget("tv3")
	if st.anyOnPlaylist() {
		t.Error("tv3 forgotten: anyOnPlaylist = true")
	}
}
