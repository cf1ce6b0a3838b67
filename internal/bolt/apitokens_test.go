package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/storetest"
)

func TestAPITokenContract(t *testing.T) {
	storetest.APITokens(t, func(t *testing.T) auth.APITokenStore {
		db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s, err := bolt.NewAPITokenStore(db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
