package bolt

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/storetest"
)

func TestEmbedLinksContract(t *testing.T) {
	t.Parallel()
	s, err := NewEmbedLinkStore(openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")))
	if err != nil {
		t.Fatal(err)
	}
	storetest.EmbedLinks(t, s)
}
