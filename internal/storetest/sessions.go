package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
)

// Sessions runs the auth.SessionStore contract against stores made by newStore (a new,
// empty store per call holding at most max sessions, telling signed-in from anonymous
// with auth.SessionSignedIn; cleanup is newStore's).
func Sessions(t *testing.T, newStore func(t *testing.T, max int) auth.SessionStore) {
	t.Run("FindCommitDelete", func(t *testing.T) { sessionsFindCommitDelete(t, newStore(t, 100)) })
	t.Run("Expiry", func(t *testing.T) { sessionsExpiry(t, newStore(t, 100)) })
	t.Run("EvictsAnonymousFirst", func(t *testing.T) { sessionsEvict(t, newStore(t, 3)) })
	t.Run("Concurrent", func(t *testing.T) { sessionsConcurrent(t, newStore(t, 1000)) })
}

func wantLen(t *testing.T, s auth.SessionStore, want int) {
	t.Helper()
	if n, err := s.Len(); err != nil || n != want {
		t.Errorf("Len = %d, %v; want %d", n, err, want)
	}
}

func sessionsFindCommitDelete(t *testing.T, s auth.SessionStore) {
	if _, found, err := s.Find("nope"); found || err != nil {
		t.Errorf("Find(missing) = found %t, %v; want not found, nil", found, err)
	}
	exp := time.Now().Add(time.Hour)
	if err := s.Commit("a", []byte("one"), exp); err != nil {
		t.Fatal(err)
	}
	if b, found, err := s.Find("a"); !found || err != nil || string(b) != "one" {
		t.Errorf("Find(a) = %q, %t, %v; want one", b, found, err)
	}
	if err := s.Commit("a", []byte("two"), exp.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := s.Find("a"); string(b) != "two" {
		t.Errorf("Find(a) after a second commit = %q, want two", b)
	}
	if err := s.Commit("b", []byte("bee"), exp); err != nil {
		t.Fatal(err)
	}
	wantLen(t, s, 2)
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Find("a"); found {
		t.Error("Find(a) after Delete found it")
	}
	if err := s.Delete("a"); err != nil {
		t.Errorf("Delete(missing) = %v, want nil", err)
	}
	wantLen(t, s, 1)
	if b, found, _ := s.Find("b"); !found || string(b) != "bee" {
		t.Errorf("Find(b) = %q, %t; deleting a must leave b", b, found)
	}
}

func sessionsExpiry(t *testing.T, s auth.SessionStore) {
	if err := s.Commit("old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.Find("old"); found || err != nil {
		t.Errorf("Find(expired) = found %t, %v; want not found", found, err)
	}
	// Renewing an expired token's commit brings it back (scs commits on every request).
	if err := s.Commit("old", []byte("y"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, found, _ := s.Find("old"); !found || !bytes.Equal(b, []byte("y")) {
		t.Errorf("Find after renewing = %q, %t; want y", b, found)
	}
}

// sessionsEvict fills a store of 3 with real scs sessions: two anonymous, one signed
// in, then signs in three more people.
func sessionsEvict(t *testing.T, s auth.SessionStore) {
	ctx := t.Context()
	sm := auth.NewSessionManager(s, auth.SessionOptions{})
	users, err := auth.NewUsers([]auth.User{{Name: "alice", PasswordHash: "$2a$10$" + string(bytes.Repeat([]byte("a"), 53)), Role: auth.RoleManager}})
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := users.Get("alice")
	commit := func(signedIn bool) string {
		t.Helper()
		c, err := sm.Load(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if signedIn {
			if err := auth.Login(c, sm, alice); err != nil {
				t.Fatal(err)
			}
		} else {
			sm.Put(c, "visit", "anonymous")
		}
		tok, _, err := sm.Commit(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	present := func(tok string) bool {
		t.Helper()
		c, err := sm.Load(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return len(sm.Keys(c)) > 0
	}
	anon1, user1, anon2 := commit(false), commit(true), commit(false)
	wantLen(t, s, 3)
	user2 := commit(true)
	if present(anon1) || !present(anon2) || !present(user1) || !present(user2) {
		t.Errorf("full store, one sign-in: anon1 %t anon2 %t user1 %t user2 %t; want only the oldest anonymous evicted",
			present(anon1), present(anon2), present(user1), present(user2))
	}
	user3 := commit(true)
	if present(anon2) || !present(user1) {
		t.Errorf("second sign-in: anon2 %t user1 %t; want the other anonymous session evicted before any signed-in one", present(anon2), present(user1))
	}
	user4 := commit(true)
	if present(user1) || !present(user2) || !present(user3) || !present(user4) {
		t.Errorf("no anonymous left: user1 %t user2 %t user3 %t user4 %t; want the oldest signed-in evicted",
			present(user1), present(user2), present(user3), present(user4))
	}
	wantLen(t, s, 3)
}

func sessionsConcurrent(t *testing.T, s auth.SessionStore) {
	var wg sync.WaitGroup
	exp := time.Now().Add(time.Hour)
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				tok := string(rune('a'+i)) + string(rune('a'+j))
				if err := s.Commit(tok, []byte(tok), exp); err != nil {
					t.Error(err)
					return
				}
				if b, found, err := s.Find(tok); !found || err != nil || string(b) != tok {
					t.Errorf("Find(%s) = %q, %t, %v", tok, b, found, err)
				}
				if j%2 == 0 {
					if err := s.Delete(tok); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	wantLen(t, s, 80)
}
