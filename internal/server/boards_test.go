package server

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/hub"
	"github.com/ccdash/ccdash/internal/views"
)

// salesWaiting is the Sales skill's waiting figure, as liveSnap renders it.
const salesWaiting = `id="fig-tile-skill-comm100_3aa-chat-waiting" class="main fig lvl-`

var shellRev = regexp.MustCompile(`id="srv-shell" data-rev="([0-9a-z]+)"`)

func rev(t *testing.T, msg string) string {
	t.Helper()
	m := shellRev.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("no srv-shell revision in %.300q", msg)
	}
	return m[1]
}

// openWall starts a live server and opens a wall socket on its demo board; the
// socket and the context end with the test.
func openWall(t *testing.T) (*liveEnv, context.Context, *websocket.Conn, string) {
	t.Helper()
	e := newLiveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	c, first := e.dial(t, ctx)
	t.Cleanup(func() { c.CloseNow() })
	return e, ctx, c, first
}

// TestSetBoardsRerendersOpenSocket: new thresholds reach an open wall on the socket
// it already has — the figure changes colour in the next message and the socket is
// not closed — and a threshold alone does not make the page fetch itself again.
func TestSetBoardsRerendersOpenSocket(t *testing.T) {
	t.Parallel()
	e, ctx, c, first := openWall(t)
	if !strings.Contains(first, salesWaiting+"ok") {
		t.Fatalf("2 waiting under the default thresholds is not ok: %.400q", first)
	}
	b := views.DefaultBoard()
	b.Thresholds.WaitingWarn, b.Thresholds.WaitingCrit = 1, 2
	if err := e.srv.SetBoards([]views.Board{b}); err != nil {
		t.Fatal(err)
	}
	// A diff carries a layout revision only when the layout changed.
	msg := readUntil(t, ctx, c, salesWaiting+"crit")
	if m := shellRev.FindStringSubmatch(msg); m != nil {
		t.Errorf("a threshold change sent layout revision %s (the page's is %s): the page would fetch itself", m[1], rev(t, first))
	}
	// The same socket goes on receiving diffs.
	e.store.Publish(liveSnap(2, 0))
	readUntil(t, ctx, c, salesWaiting+"ok")
}

// TestSetBoardsLayoutChangeSendsNewShell: a new title cannot be swapped as a tile, so
// the socket hears another layout revision (the page then re-renders itself in
// place), and the page served now carries that same revision.
func TestSetBoardsLayoutChangeSendsNewShell(t *testing.T) {
	t.Parallel()
	e, ctx, c, first := openWall(t)
	b := views.DefaultBoard()
	b.Title = "Second floor"
	if err := e.srv.SetBoards([]views.Board{b}); err != nil {
		t.Fatal(err)
	}
	was := rev(t, first)
	var now string
	for now == "" || now == was {
		_, msg, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("no new layout revision on the open socket: %v", err)
		}
		if m := shellRev.FindStringSubmatch(string(msg)); m != nil {
			now = m[1]
		}
	}
	resp, body := get(t, e.ts.URL+"/wall/demo")
	if resp != http.StatusOK || !strings.Contains(body, "Second floor") {
		t.Fatalf("/wall/demo after SetBoards: %d, title missing", resp)
	}
	if got := rev(t, body); got != now {
		t.Errorf("page revision %s, socket said %s: the page would fetch itself forever", got, now)
	}
}

// TestSetBoardsRemovedBoardClosesItsSockets: a socket on a board that is gone is
// closed with 4003 (its page reloads and says why); the page answers 404.
func TestSetBoardsRemovedBoardClosesItsSockets(t *testing.T) {
	t.Parallel()
	e, ctx, c, _ := openWall(t)
	if err := e.srv.SetBoards([]views.Board{{ID: "lobby", Title: "Lobby", Public: true}}); err != nil {
		t.Fatal(err)
	}
	if code := readClose(ctx, c); code != hub.StatusKicked {
		t.Errorf("socket of a removed board closed with %d, want %d", code, hub.StatusKicked)
	}
	if code, _ := get(t, e.ts.URL+"/wall/demo"); code != http.StatusNotFound {
		t.Errorf("/wall/demo after its removal: %d, want 404", code)
	}
	if code, _ := get(t, e.ts.URL+"/wall/lobby"); code != http.StatusOK {
		t.Errorf("/wall/lobby after SetBoards: %d, want 200", code)
	}
}

// TestSetBoardsRefusesInvalidSet: an invalid set changes nothing and says which key.
func TestSetBoardsRefusesInvalidSet(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	err := e.srv.SetBoards([]views.Board{{ID: "a", Title: "A"}, {ID: "a", Title: "B"}, {ID: "Bad", Title: "C"}})
	if err == nil {
		t.Fatal("duplicate and malformed ids accepted")
	}
	for _, key := range []string{"boards[1].id", "boards[2].id"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
	if got := e.srv.Boards(); len(got) != 1 || got[0].ID != "demo" {
		t.Errorf("boards after a refused set: %+v, want the demo board still", got)
	}
}
