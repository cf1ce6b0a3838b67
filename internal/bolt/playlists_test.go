package bolt

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/storetest"
)

func TestPlaylistsContract(t *testing.T) {
	t.Parallel()
	storetest.Playlists(t, func(t *testing.T) screens.Store {
		s, err := NewPlaylistStore(openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
