package server

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/hub"
)

// TestSetUsersEndsSocketsOfChangedUsersOnly: with the periodic check an hour away,
// replacing the accounts closes at once the socket of a removed user and of one whose
// skills changed (4001), never an unchanged admin's; the removed user cannot sign in
// and the changed one signs in with the new scope.
func TestSetUsersEndsSocketsOfChangedUsersOnly(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Hub = hub.Options{CheckInterval: time.Hour} })
	hashes, err := testHashes()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open := func(name, pw string) (*http.Client, *websocket.Conn) {
		c := e.client(t)
		e.login(t, c, name, pw)
		ws, _, _, err := e.dialWS(t, ctx, c, "/ws?board=lobby&view=manager", nil)
		if err != nil {
			t.Fatalf("%s's socket: %v", name, err)
		}
		t.Cleanup(func() { ws.CloseNow() })
		return c, ws
	}
	_, adminWS := open("admin", adminPW)
	managerClient, managerWS := open("manager", managerPW)

	admin := auth.User{Name: "admin", PasswordHash: hashes["admin"], Role: auth.RoleAdmin}
	bad := []auth.User{admin, {Name: "admin", PasswordHash: hashes["admin"], Role: auth.RoleViewer}}
	if err := e.srv.SetUsers(bad); err == nil {
		t.Fatal("a user defined twice was accepted")
	}
	wider := auth.User{Name: "manager", PasswordHash: hashes["manager"], Role: auth.RoleManager, Skills: []string{"comm100:a", "comm100:b"}}
	if err := e.srv.SetUsers([]auth.User{admin, wider}); err != nil {
		t.Fatal(err)
	}
	if code := readClose(ctx, managerWS); code != hub.StatusUnauthorized {
		t.Errorf("socket of a manager whose skills changed closed with %d, want %d", code, hub.StatusUnauthorized)
	}
	// Still signed in: the session holds the user name and password stamp only.
	if r := do(t, managerClient, "GET", e.ts.URL+"/boards/lobby", nil); r.code != http.StatusOK {
		t.Errorf("manager after a skills change: %d, want 200 (still signed in)", r.code)
	}

	if err := e.srv.SetUsers([]auth.User{admin}); err != nil {
		t.Fatal(err)
	}
	if r := do(t, managerClient, "GET", e.ts.URL+"/boards/lobby", nil); r.code == http.StatusOK {
		t.Error("a removed user's session still opens a private board")
	}
	c := e.client(t)
	tok := e.csrfFrom(t, c, "/login")
	if r := do(t, c, "POST", e.ts.URL+"/login", url.Values{"csrf_token": {tok}, "username": {"manager"}, "password": {managerPW}}); r.code == http.StatusSeeOther {
		t.Error("a removed user signed in")
	}
	// The admin's socket was never closed: it still receives the next change.
	e.store.Publish(scopedSnap(2, 9))
	readUntil(t, ctx, adminWS, `class="fv">9</b>`)
}
