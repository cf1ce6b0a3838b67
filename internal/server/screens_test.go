package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/screens"
)

// screenSocket opens a device's wall socket and keeps reading it into msgs.
func screenSocket(t *testing.T, e *authEnv, secret string) (*websocket.Conn, <-chan string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secret), nil)
	if err != nil {
		t.Fatalf("device socket: %v", err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	msgs := make(chan string, 64)
	msgs <- first
	go func() {
		defer close(msgs)
		for {
			_, b, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			msgs <- string(b)
		}
	}()
	return conn, msgs
}

// waitMessage reads msgs until one contains want, failing after a generous deadline.
func waitMessage(t *testing.T, msgs <-chan string, want string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatalf("socket closed before a message with %q", want)
			}
			if strings.Contains(m, want) {
				return m
			}
		case <-deadline:
			t.Fatalf("no message with %q", want)
		}
	}
}

// deviceSocket is the one socket of device id (failing unless there is exactly one).
func deviceSocket(t *testing.T, e *authEnv, id string) hub.SocketInfo {
	t.Helper()
	ss := e.srv.hub.Sockets(auth.DeviceKey(id))
	if len(ss) != 1 {
		t.Fatalf("device %s has %d sockets, want 1: %+v", id, len(ss), ss)
	}
	return ss[0]
}

// waitTopic polls until device id's socket is on board's topic.
func waitTopic(t *testing.T, e *authEnv, id, board string) hub.SocketInfo {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := deviceSocket(t, e, id)
		if strings.HasPrefix(s.Topic, board+"|") {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("device %s still on %q, want board %s", id, s.Topic, board)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPlaylistScreenSwitchesOnItsSocket(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Boards = append(o.Boards, boardNamed("sales"))
		o.Screens.Tick = 20 * time.Millisecond
		o.Screens.Playlists = []screens.Playlist{{ID: "floor", Entries: []screens.Entry{
			{Board: "lobby", Duration: 300 * time.Millisecond}, {Board: "sales", Duration: 300 * time.Millisecond},
		}}}
	})
	ctx := context.Background()
	d, secret, err := e.devices.Create(ctx, "lobby", "TV")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.devices.Bind(ctx, d.ID, auth.Binding{Playlist: "floor"}); err != nil {
		t.Fatal(err)
	}
	_, msgs := screenSocket(t, e, secret)
	first := deviceSocket(t, e, d.ID)
	for _, board := range []string{"sales", "lobby", "sales"} {
		s := waitTopic(t, e, d.ID, board)
		if s.ID != first.ID || !s.Since.Equal(first.Since) {
			t.Fatalf("switching to %s opened another socket: %+v, first %+v", board, s, first)
		}
	}
	// Each switch told the page so on that socket, with the new board's tiles.
	if m := waitMessage(t, msgs, `data-cmd="switch"`); !strings.HasPrefix(m, `<div id="srv-ctl" data-cmd="switch"`) || !strings.Contains(m, `id="srv-shell"`) {
		t.Errorf("switch message = %.300q", m)
	}
}

func TestRebindAndControlActOnOneScreen(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Boards = append(o.Boards, boardNamed("sales")) })
	ctx := context.Background()
	a, secretA, _ := e.devices.Create(ctx, "lobby", "TV one")
	b, secretB, _ := e.devices.Create(ctx, "lobby", "TV two")
	_, msgsA := screenSocket(t, e, secretA)
	_, msgsB := screenSocket(t, e, secretB)
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	tok := e.csrfFrom(t, adm, "/admin/screens")

	for _, act := range []struct{ id, path string }{{a.ID, "identify"}, {b.ID, "reload"}} {
		r := do(t, adm, "POST", e.ts.URL+"/admin/screens/"+act.id+"/"+act.path, url.Values{"csrf_token": {tok}})
		if r.code != http.StatusSeeOther {
			t.Fatalf("%s: got %d %.300s", act.path, r.code, r.body)
		}
	}
	if m := waitMessage(t, msgsA, `id="srv-ctl"`); !strings.Contains(m, `data-cmd="identify"`) || !strings.Contains(m, `data-name="TV one"`) {
		t.Errorf("TV one got %q, want its identify", m)
	}
	if m := waitMessage(t, msgsB, `id="srv-ctl"`); !strings.Contains(m, `data-cmd="reload"`) {
		t.Errorf("TV two got %q, want its reload (and not TV one's identify)", m)
	}

	before := deviceSocket(t, e, b.ID)
	r := do(t, adm, "POST", e.ts.URL+"/admin/screens/"+b.ID+"/bind", url.Values{"csrf_token": {tok}, "target": {"board:sales"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("bind: got %d %.300s", r.code, r.body)
	}
	after := waitTopic(t, e, b.ID, "sales")
	if after.ID != before.ID {
		t.Errorf("rebinding opened a new socket")
	}
	if got := deviceSocket(t, e, a.ID).Topic; !strings.HasPrefix(got, "lobby|") {
		t.Errorf("TV one moved to %q with TV two", got)
	}
	devs, _ := e.devices.List(ctx)
	for _, d := range devs {
		if d.ID == b.ID && d.Board != "sales" {
			t.Errorf("rebinding not stored: %+v", d)
		}
	}
	// Without CSRF, and for a board that does not exist: refused.
	if r := do(t, adm, "POST", e.ts.URL+"/admin/screens/"+b.ID+"/bind", url.Values{"target": {"board:sales"}}); r.code != http.StatusForbidden {
		t.Errorf("bind without CSRF: %d", r.code)
	}
	if r := do(t, adm, "POST", e.ts.URL+"/admin/screens/"+b.ID+"/bind", url.Values{"csrf_token": {tok}, "target": {"board:nope"}}); r.code != http.StatusBadRequest {
		t.Errorf("bind to an unknown board: %d", r.code)
	}
	// A manager may not see or drive the screens page.
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)
	if r := do(t, mgr, "GET", e.ts.URL+"/admin/screens", nil); r.code != http.StatusForbidden {
		t.Errorf("manager on /admin/screens: %d", r.code)
	}
}

// TestScreensPageShowsAStaleScreen: a device socket that stopped reading (it never
// answers the hub's ping) is listed as stale while the one that reads is live and
// one never seen is flagged missing, on the page and in ccdash_screens.
func TestScreensPageShowsAStaleScreen(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		// The write timeout is the window in which the stuck socket is still listed
		// before the hub cuts it off; it bounds this test's clean-up too.
		o.Hub = hub.Options{PingInterval: 50 * time.Millisecond, WriteTimeout: 8 * time.Second}
		o.Screens.StaleAfter = 200 * time.Millisecond
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reader, secretR, _ := e.devices.Create(ctx, "lobby", "Reading TV")
	stuck, secretS, _ := e.devices.Create(ctx, "lobby", "Frozen TV")
	spare, _, _ := e.devices.Create(ctx, "lobby", "Spare TV") // never connected
	_, _ = screenSocket(t, e, secretR)
	conn, _, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=wall&device="+url.QueryEscape(secretS), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow() // and never read again

	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	state := func(body, id string) string {
		m := regexp.MustCompile(`data-device="` + id + `" data-state="([a-z]+)"`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		r := do(t, adm, "GET", e.ts.URL+"/admin/screens/table", nil)
		// Both at once: on a loaded machine one of the reader's 50 ms pongs may come
		// later than the 200 ms stale mark, so the reader is live on most reads, not all.
		if state(r.body, stuck.ID) == "stale" && state(r.body, reader.ID) == "live" {
			if got := state(r.body, spare.ID); got != "missing" {
				t.Errorf("a screen never seen is %q, want missing (flagged)", got)
			}
			if !strings.Contains(r.body, "Stale") || !strings.Contains(r.body, "Frozen TV") {
				t.Errorf("stale row does not say so: %.2000s", r.body)
			}
			m := do(t, e.client(t), "GET", e.ts.URL+"/metrics", nil)
			if !strings.Contains(m.body, `ccdash_screens{state="stale"} 1`) || !strings.Contains(m.body, `ccdash_screens{state="live"} 1`) ||
				!strings.Contains(m.body, `ccdash_screens{state="missing"} 1`) || !strings.Contains(m.body, `ccdash_screens{state="offline"} 0`) {
				t.Errorf("metrics lack the screens by state:\n%s", grepLines(m.body, "ccdash_screens"))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the frozen screen was never shown stale beside a live one: %.2000s", r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// waitingTV opens /pair in a new browser: it returns the browser, the page, its
// code and a poll of its wait URL.
func waitingTV(t *testing.T, e *authEnv) (*http.Client, resp, string, func() resp) {
	t.Helper()
	tv := e.client(t)
	r := do(t, tv, "GET", e.ts.URL+"/pair", nil)
	code := regexp.MustCompile(`data-testid="pair-code">(\d{6})<`).FindStringSubmatch(r.body)
	wait := regexp.MustCompile(`data-pair-wait="([^"]+)"`).FindStringSubmatch(r.body)
	if r.code != 200 || code == nil || wait == nil || !strings.Contains(r.body, "<svg") {
		t.Fatalf("/pair: %d %.500s", r.code, r.body)
	}
	poll := func() resp { return do(t, tv, "GET", e.ts.URL+"/pair/wait?t="+url.QueryEscape(wait[1]), nil) }
	return tv, r, code[1], poll
}

// pairAs has the admin enter code on /admin/screens, pairing it to the lobby board
// as name; it returns the admin's browser and the form it sent.
func pairAs(t *testing.T, e *authEnv, code, name string) (*http.Client, url.Values) {
	t.Helper()
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	tok := e.csrfFrom(t, adm, "/admin/screens?code="+code)
	form := url.Values{"csrf_token": {tok}, "code": {code}, "name": {name}, "target": {"board:lobby"}}
	if r := do(t, adm, "POST", e.ts.URL+"/admin/screens/pair", form); r.code != http.StatusSeeOther {
		t.Fatalf("pair: %d %.500s", r.code, r.body)
	}
	return adm, form
}

func TestPairingTurnsAWaitingTVIntoADevice(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Screens.Pairing = screens.PairingOptions{MaxPending: 3, PerAddr: 10}
	})
	tv, r, code, poll := waitingTV(t, e)
	if c := r.header.Values("Set-Cookie"); len(c) > 0 && strings.Contains(strings.Join(c, " "), auth.SessionCookieName) {
		t.Errorf("/pair made a session: %v", c)
	}
	if p := poll(); p.code != 200 || !strings.Contains(p.body, `"waiting"`) {
		t.Fatalf("wait before pairing: %d %s", p.code, p.body)
	}
	adm, form := pairAs(t, e, code, "Lobby TV")
	p := poll()
	var paired struct{ Status, URL string }
	if err := json.Unmarshal([]byte(p.body), &paired); p.code != 200 || err != nil || paired.Status != "paired" || !strings.HasPrefix(paired.URL, "/wall/lobby?device=") {
		t.Fatalf("wait after pairing: %d %s", p.code, p.body)
	}
	wall := do(t, tv, "GET", e.ts.URL+paired.URL, nil)
	if wall.code != 200 || !strings.Contains(wall.body, "ws-connect") {
		t.Errorf("the paired TV's wall: %d %.300s", wall.code, wall.body)
	}
	// Single use: the code and the wait token are spent.
	if p := poll(); p.code != http.StatusNotFound {
		t.Errorf("second claim: %d %s", p.code, p.body)
	}
	if r := do(t, adm, "POST", e.ts.URL+"/admin/screens/pair", form); r.code != http.StatusNotFound || !strings.Contains(r.body, "No screen is waiting") {
		t.Errorf("reusing the code: %d", r.code)
	}
	devs, _ := e.devices.List(context.Background())
	if len(devs) != 1 || devs[0].Name != "Lobby TV" || devs[0].Board != "lobby" {
		t.Errorf("devices after pairing: %+v", devs)
	}
	// The table of waiting codes is capped: anonymous visits beyond it are refused
	// and hold nothing.
	for i := range 3 {
		if r := do(t, e.client(t), "GET", e.ts.URL+"/pair", nil); r.code != 200 {
			t.Fatalf("code %d: %d", i, r.code)
		}
	}
	if r := do(t, e.client(t), "GET", e.ts.URL+"/pair", nil); r.code != http.StatusTooManyRequests {
		t.Errorf("past the cap: %d, want 429", r.code)
	}
	if n := e.srv.screens.pairings.Pending(); n != 3 {
		t.Errorf("pending codes = %d, want the cap of 3", n)
	}
}

// TestPinOnAlertHoldsTheScreen: a playlist with pin_on_alert moves its screens to a
// board of the playlist with an alert shown, even one whose turn it is not, and
// back to the rotation once the alert clears.
func TestPinOnAlertHoldsTheScreen(t *testing.T) {
	t.Parallel()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "alerts.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := bolt.NewAlerts(db)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := alerts.New(context.Background(), alerts.Options{Store: st, Now: func() time.Time { return alertT0 },
		Boards: []alerts.Board{{ID: "demo", Rules: []alerts.Rule{{ID: "waiting", Figure: alerts.Waiting, Limits: alerts.Limits{Warn: 3, Crit: 5}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	// demo's own turn is a minute twelve hours from now: only an alert brings it.
	now := time.Now()
	from := (now.Hour()*60 + now.Minute() + 12*60) % (24 * 60)
	e := newAuthEnv(t, func(o *Options) {
		o.Alerts = eng
		o.Screens.Tick = 20 * time.Millisecond
		o.Screens.Playlists = []screens.Playlist{{ID: "floor", PinOnAlert: true, Entries: []screens.Entry{
			{Board: "lobby", Duration: time.Minute},
			{Board: "demo", Duration: time.Minute, Window: screens.Window{From: from, To: (from + 1) % (24 * 60), Set: true}},
		}}}
	})
	e.store.Publish(alertSnap(2, 0, 1, 1))
	ctx := context.Background()
	d, secret, _ := e.devices.Create(ctx, "lobby", "TV")
	if err := e.devices.Bind(ctx, d.ID, auth.Binding{Playlist: "floor"}); err != nil {
		t.Fatal(err)
	}
	_, _ = screenSocket(t, e, secret)
	first := waitTopic(t, e, d.ID, "lobby")

	e.store.Publish(alertSnap(3, time.Second, 6, 1)) // Sales waiting 6: demo's alert
	if s := waitTopic(t, e, d.ID, "demo"); s.ID != first.ID {
		t.Error("pinning opened another socket")
	}
	e.store.Publish(alertSnap(4, 2*time.Second, 0, 0)) // cleared
	waitTopic(t, e, d.ID, "lobby")
}

// TestPlaylistsMadeOnTheScreensPage: an admin stores a playlist (checked like the
// config's, same messages), binds a screen to it, and cannot delete it while bound.
func TestPlaylistsMadeOnTheScreensPage(t *testing.T) {
	t.Parallel()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "playlists.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := bolt.NewPlaylistStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) {
		o.Boards = append(o.Boards, boardNamed("sales"))
		o.Screens.Store = store
		o.Screens.Playlists = []screens.Playlist{{ID: "cfg", Entries: []screens.Entry{{Board: "lobby", Duration: time.Minute}}}}
	})
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	tok := e.csrfFrom(t, adm, "/admin/screens")
	post := func(path string, form url.Values) resp {
		form.Set("csrf_token", tok)
		return do(t, adm, "POST", e.ts.URL+path, form)
	}
	for _, bad := range []struct{ id, entries, want string }{
		{"floor", "salse 30s", `boards[0].board: &#34;salse&#34;: no board has this id`},
		{"floor", "sales 1s", "boards[0].duration: must be at least 5s (got 1s)"},
		{"floor", "sales soon", `line 1: duration &#34;soon&#34;: want e.g. 30s or 2m`},
		{"Floor", "sales 30s", `id: &#34;Floor&#34;: use 1-64 lowercase letters`},
		{"cfg", "sales 30s", "is a playlist of the config file"},
	} {
		r := post("/admin/playlists", url.Values{"id": {bad.id}, "entries": {bad.entries}})
		if r.code != http.StatusBadRequest || !strings.Contains(r.body, bad.want) {
			t.Errorf("playlist %q %q: %d, want 400 with %q in\n%.300s", bad.id, bad.entries, r.code, bad.want, grepLines(r.body, "auth-error"))
		}
	}
	r := post("/admin/playlists", url.Values{"id": {"floor"}, "title": {"Floor"}, "entries": {"sales 30s 08:00-18:00\nlobby 1m"}, "pin_on_alert": {"1"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("save playlist: %d %.300s", r.code, r.body)
	}
	stored, err := store.List(context.Background())
	if err != nil || len(stored) != 1 || !stored[0].PinOnAlert || len(stored[0].Entries) != 2 || stored[0].Entries[0].Window.String() != "08:00-18:00" {
		t.Fatalf("stored playlists = %+v, %v", stored, err)
	}
	page := do(t, adm, "GET", e.ts.URL+"/admin/screens", nil).body
	if !strings.Contains(page, `value="playlist:floor"`) || !strings.Contains(page, "sales 30s 08:00-18:00 · lobby 1m0s") || !strings.Contains(page, "from the config file") {
		t.Errorf("the screens page does not list both playlists: %.3000s", grepLines(page, "playlist"))
	}
	d, _, _ := e.devices.Create(context.Background(), "lobby", "TV")
	if r := post("/admin/screens/"+d.ID+"/bind", url.Values{"target": {"playlist:floor"}}); r.code != http.StatusSeeOther {
		t.Fatalf("bind to the stored playlist: %d", r.code)
	}
	if r := post("/admin/playlists/floor/delete", url.Values{}); r.code != http.StatusBadRequest || !strings.Contains(r.body, "shows this playlist") {
		t.Errorf("deleting a playlist in use: %d", r.code)
	}
	if r := post("/admin/screens/"+d.ID+"/bind", url.Values{"target": {"board:sales"}}); r.code != http.StatusSeeOther {
		t.Fatalf("rebind: %d", r.code)
	}
	if r := post("/admin/playlists/floor/delete", url.Values{}); r.code != http.StatusSeeOther {
		t.Errorf("deleting an unused playlist: %d %.300s", r.code, r.body)
	}
	if ps, _ := store.List(context.Background()); len(ps) != 0 {
		t.Errorf("after delete: %+v", ps)
	}
}
