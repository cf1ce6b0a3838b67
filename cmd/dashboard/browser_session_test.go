package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
)

// TestBrowserManagerSession: a manager's tab survives a server restart without signing
// in again (sessions are kept in data_dir), and once its session is gone the tab goes
// to the sign-in page by itself and, signed in, returns to its board.
func TestBrowserManagerSession(t *testing.T) {
	browser := newBrowser(t)
	dataDir := t.TempDir()
	config, pw := writeUsersConfig(t, dataDir)
	cfg := appConfig{addr: "127.0.0.1:0", seed: 21, dataDir: dataDir, config: config}
	first := startDemoApp(t, cfg)
	cfg.addr = first.Addr // the page only knows this address

	tb := newTab(t, browser, chromedp.WithNewBrowserContext())
	tb.loginAs(t, first.Base, "manager", pw)
	board := "/boards/lobby?sort=name"
	marker := tb.open(t, first.Base+board)
	tb.waitJS(t, 45*time.Second, "figures on the manager board", hasFiguresJS)

	first.stop(t)
	tb.waitJS(t, 15*time.Second, "the Reconnecting… banner while the server is down", bannerShownJS)
	restarted := time.Now()
	second := startDemoApp(t, cfg)
	tb.waitJS(t, 60*time.Second, "the board to reconnect, still signed in, and show the restarted server's data",
		`document.getElementById('conn').hidden && `+sourceUpdatedJS("comm100")+` >= `+
			strconv.FormatInt(restarted.UnixMilli(), 10))
	if !evalJS[bool](t, tb, markerJS(marker)) || evalJS[string](t, tb, `location.pathname + location.search`) != board {
		t.Fatalf("after the restart the tab is at %s (marker kept: %t); want the same board document, no sign-in",
			evalJS[string](t, tb, `location.href`), evalJS[bool](t, tb, markerJS(marker)))
	}

	second.stop(t)
	deleteSession(t, dataDir, tb.sessionCookie(t, second.Base))
	startDemoApp(t, cfg)
	tb.waitJS(t, 60*time.Second, "the tab to go to the sign-in page by itself",
		`location.pathname === '/login' && new URLSearchParams(location.search).get('next') === `+strconv.Quote(board))
	tb.fillLogin(t, "manager", pw)
	tb.waitJS(t, 30*time.Second, "the board again after signing in",
		`location.pathname + location.search === `+strconv.Quote(board)+` && document.getElementById('conn').hidden && `+hasFiguresJS)
}

// loginAs signs in through the login form, as a person would.
func (tb *tab) loginAs(t *testing.T, base, user, pw string) {
	t.Helper()
	tb.do(t, 30*time.Second, chromedp.Navigate(base+"/login"))
	tb.fillLogin(t, user, pw)
	tb.waitJS(t, 15*time.Second, "to leave the login page signed in", `location.pathname !== '/login'`)
}

// fillLogin types into the login form already shown and submits it.
func (tb *tab) fillLogin(t *testing.T, user, pw string) {
	t.Helper()
	userBox, pass := chromedp.CSS(`input[name="username"]`), chromedp.CSS(`input[name="password"]`)
	tb.do(t, 30*time.Second,
		chromedp.WaitVisible(userBox),
		chromedp.SendKeys(userBox, user),
		chromedp.SendKeys(pass, pw),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
	)
}

// sessionCookie reads the tab's (HttpOnly) session cookie through the DevTools protocol.
func (tb *tab) sessionCookie(t *testing.T, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
	var value string
	for _, c := range res.Cookies {
		if c.Name == auth.SessionCookieName {
			value = c.Value
		}
	}
	if err != nil || value == "" {
		t.Fatalf("reading the session cookie: %q, %v", value, err)
	}
	return value
}

// deleteSession removes the session with cookie value token from data_dir's store
// (the server is stopped: bbolt allows one process), as an expiry or a lost store would.
func deleteSession(t *testing.T, dataDir, token string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dataDir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sessions, err := bolt.NewSessionStore(db, bolt.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token)) // scs stores tokens hashed
	if _, found, err := sessions.Find(base64.RawURLEncoding.EncodeToString(sum[:])); !found || err != nil {
		t.Fatalf("the tab's session is not in the store (%v); the test would prove nothing", err)
	}
	if err := sessions.Delete(base64.RawURLEncoding.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
}
