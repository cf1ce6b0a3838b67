package bolt

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/storetest"
)

func newTestBoardStore(t *testing.T) *BoardStore {
	s, err := NewBoardStore(openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBoardsContract(t *testing.T) {
	t.Parallel()
	storetest.Boards(t, func(t *testing.T) boardstore.Store { return newTestBoardStore(t) })
}

func TestBoardAuditContract(t *testing.T) {
	t.Parallel()
	storetest.BoardAudit(t, func(t *testing.T) boardstore.Audit { return newTestBoardStore(t) })
}
