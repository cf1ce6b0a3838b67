package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/storetest"
)

func TestAlerts(t *testing.T) {
	storetest.Alerts(t, func(t *testing.T) alerts.Store {
		db, err := bolt.Open(filepath.Join(t.TempDir(), "ccdash.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s, err := bolt.NewAlerts(db)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
