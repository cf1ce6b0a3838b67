package bolt

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/storetest"
)

func newTestSessions(t *testing.T, db *DB, max int) *SessionStore {
	t.Helper()
	s, err := NewSessionStore(db, SessionOptions{Max: max, SignedIn: auth.SessionSignedIn})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSessionsContract(t *testing.T) {
	t.Parallel()
	storetest.Sessions(t, func(t *testing.T, max int) auth.SessionStore {
		return newTestSessions(t, openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")), max)
	})
}

// Sessions are on disk: a reopened file has them, with their count and expiry.
func TestSessionsSurviveReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ccdash.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSessions(t, db, 10)
	exp := time.Now().Add(time.Hour)
	for _, tok := range []string{"a", "b"} {
		if err := s.Commit(tok, []byte("data-"+tok), exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := newTestSessions(t, openTestDB(t, path), 10)
	if b, found, err := s2.Find("b"); !found || err != nil || string(b) != "data-b" {
		t.Errorf("Find(b) after reopen = %q, %t, %v", b, found, err)
	}
	if n, _ := s2.Len(); n != 2 {
		t.Errorf("Len after reopen = %d, want 2", n)
	}
}

func TestSessionsDeleteExpired(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s, err := NewSessionStore(openTestDB(t, filepath.Join(t.TempDir(), "ccdash.db")), SessionOptions{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for i, exp := range []time.Time{now.Add(-time.Hour), now.Add(-time.Second), now.Add(time.Second)} {
		if err := s.Commit(string(rune('a'+i)), []byte("x"), exp); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.DeleteExpired(); n != 2 || err != nil {
		t.Errorf("DeleteExpired = %d, %v; want 2", n, err)
	}
	if n, _ := s.Len(); n != 1 {
		t.Errorf("Len = %d, want 1", n)
	}
	if _, found, _ := s.Find("c"); !found {
		t.Error("the unexpired session was deleted")
	}
}
