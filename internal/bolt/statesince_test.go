package bolt

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/storetest"
)

func TestStateSinceContract(t *testing.T) {
	t.Parallel()
	storetest.StateSince(t, func(t *testing.T, dir string) (poller.StateSinceStore, func()) {
		db, err := Open(filepath.Join(dir, "ccdash.db"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewStateSinceStore(db)
		if err != nil {
			t.Fatal(err)
		}
		return s, func() {
			if err := db.Close(); err != nil {
				t.Error(err)
			}
		}
	})
}
