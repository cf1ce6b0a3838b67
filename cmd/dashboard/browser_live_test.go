package main

// Browser tests of what the live diffs do to a page that stays open: a test server
// renders the wall or manager page of a snapshot the test sets and pushes the
// messages the test hands it over a WebSocket, the way the live loop does, but
// without polling or rendering per message. So a test can walk a page through
// chosen changes (rows added, removed, moved) and compare it with a fresh load,
// or push a week of diffs at full speed (browser_soak_test.go).

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
	"github.com/ccdash/ccdash/internal/views"
	"github.com/ccdash/ccdash/web/static"
)

// livePage serves GET /page (the variant's page of the current snapshot; ?live=1
// connects it to /ws), /static/ and /ws, which writes every message sent on push.
type livePage struct {
	srv  *httptest.Server
	v    views.Variant
	push chan []byte
	open chan struct{} // one value per accepted socket

	mu   sync.Mutex
	snap *snapshot.Snapshot
}

func startLivePage(t testing.TB, v views.Variant, snap *snapshot.Snapshot) *livePage {
	t.Helper()
	lp := &livePage{v: v, snap: snap, push: make(chan []byte, 256), open: make(chan struct{}, 4)}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static.FS)))
	mux.HandleFunc("GET /page", lp.page)
	mux.HandleFunc("GET /ws", lp.ws)
	lp.srv = httptest.NewServer(mux)
	t.Cleanup(lp.srv.Close)
	return lp
}

func (lp *livePage) set(s *snapshot.Snapshot) {
	lp.mu.Lock()
	lp.snap = s
	lp.mu.Unlock()
}

func (lp *livePage) page(w http.ResponseWriter, r *http.Request) {
	lp.mu.Lock()
	snap := lp.snap
	lp.mu.Unlock()
	opts := views.PageOpts{ServerNow: time.Now()}
	if r.URL.Query().Get("live") != "" {
		opts.WSURL = "/ws"
	}
	var b bytes.Buffer
	if err := views.RenderPage(r.Context(), &b, lp.v, snap, opts); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

func (lp *livePage) ws(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := c.CloseRead(r.Context())
	lp.open <- struct{}{}
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-lp.push:
			if err := c.Write(ctx, websocket.MessageText, m); err != nil {
				return
			}
		}
	}
}

// openLive opens the live page in a new tab of browser, waits for its socket and
// installs the message counter (counterJS).
func (lp *livePage) openLive(t testing.TB, browser context.Context) *tab {
	t.Helper()
	live := newTab(t, browser)
	live.open(t, lp.srv.URL+"/page?live=1")
	select {
	case <-lp.open:
	case <-time.After(30 * time.Second):
		t.Fatal("the live page opened no socket within 30 s")
	}
	if !evalJS[bool](t, live, counterJS) {
		t.Fatal("message counter not installed")
	}
	return live
}

// counterJS counts the messages the page has swapped in (window.__msgs) and the
// milliseconds it spent swapping them (window.__busy).
const counterJS = `(function () {
  window.__msgs = 0;
  window.__busy = 0;
  var t0 = 0;
  document.body.addEventListener('htmx:wsBeforeMessage', function () { t0 = performance.now(); });
  document.body.addEventListener('htmx:wsAfterMessage', function () { window.__msgs++; window.__busy += performance.now() - t0; });
  return true;
})()`

// agentsJS is the agents tile as the page shows it, with what ticks in the page
// (time in state, the levels the clock raises, htmx's settling classes) left out,
// so two pages of one snapshot read the same whenever they are read.
const agentsJS = `(function () {
  var el = document.getElementById('tile-agents');
  if (!el) return '(no agents tile)';
  el = el.cloneNode(true);
  el.querySelectorAll('.tis, .fw').forEach(function (e) { e.textContent = ''; });
  el.querySelectorAll('*').forEach(function (e) {
    e.classList.remove('lvl-warn', 'lvl-crit', 'htmx-added', 'htmx-settling', 'htmx-swapping', 'dim-age', 'stale-age');
    if (e.getAttribute('class') === '') e.removeAttribute('class');
  });
  return el.outerHTML;
})()`

// rowNames is the agent list's names in page order.
const rowNamesJS = `Array.from(document.querySelectorAll('#tile-agents tbody tr .an')).map(function (e) { return e.textContent; }).join('|')`

// pushed sends msg to the live tab and waits until the page has swapped in n
// messages in all.
func (lp *livePage) pushed(t testing.TB, live *tab, msg []byte, n int) {
	t.Helper()
	select {
	case lp.push <- msg:
	case <-time.After(30 * time.Second):
		t.Fatal("the page's socket took no message for 30 s")
	}
	live.waitJS(t, 60*time.Second, "the page to swap in message "+strconv.Itoa(n), `window.__msgs >= `+strconv.Itoa(n))
}

// agentFloor is a synthetic floor whose agents have been in their states for a
// while (so the wall's order has something to sort by) and a few are offline.
func agentFloor(agents int) *snapshot.Snapshot {
	f := storetest.NewFloor(11, agents, time.Now().Add(-time.Hour), 7)
	var s *snapshot.Snapshot
	for range 120 {
		s = f.Step(10 * time.Second)
	}
	return s
}

func cloneAgents(s *snapshot.Snapshot) *snapshot.Snapshot {
	out := *s
	out.Agents = append([]snapshot.Agent(nil), s.Agents...)
	out.Version++
	return &out
}

// TestBrowserAgentRowDiffs: per-row diffs keep the page right. A page left open
// while agents change state, move in the sort, log on, log off and leave the
// floor shows, after each message, exactly what a fresh load of the same snapshot
// shows; and the changes that keep the list's shape never re-send the tile.
func TestBrowserAgentRowDiffs(t *testing.T) {
	browser := newBrowser(t)
	base := agentFloor(20)
	steps := []struct {
		name  string
		edit  func(*snapshot.Snapshot)
		small bool // only rows change: no whole tile in the message
	}{
		{"one agent's load", func(s *snapshot.Snapshot) { s.Agents[4].Open = snapshot.Some[int64](3) }, true},
		{"state changes and moves", func(s *snapshot.Snapshot) {
			s.Agents[3].State, s.Agents[3].Since, s.Agents[3].Reason = snapshot.Away, s.TakenAt.Add(-40*time.Minute), "Lunch"
			s.Agents[8].State, s.Agents[8].Since = snapshot.Busy, s.TakenAt
		}, true},
		{"rows added", func(s *snapshot.Snapshot) {
			for i := range 3 {
				a := s.Agents[i]
				a.Key, a.ID, a.Name = a.Key+"-new", a.ID+"-new", "New "+a.Name
				a.State, a.Since = snapshot.Busy, s.TakenAt.Add(-time.Duration(i)*time.Minute)
				s.Agents = append(s.Agents, a)
			}
		}, false},
		{"rows removed", func(s *snapshot.Snapshot) {
			s.Agents = append(s.Agents[:10:10], s.Agents[13:]...)
			s.Agents[15].State = snapshot.Offline
		}, false},
		{"reordered by sort", func(s *snapshot.Snapshot) {
			for i := range s.Agents {
				s.Agents[i].Since = s.TakenAt.Add(-time.Duration(len(s.Agents)-i) * time.Minute)
			}
		}, false},
		{"everyone away", func(s *snapshot.Snapshot) {
			for i := range s.Agents {
				s.Agents[i].State, s.Agents[i].Reason = snapshot.Away, "Meeting"
			}
		}, false},
		{"back to work", func(s *snapshot.Snapshot) {
			for i := range s.Agents {
				s.Agents[i].State, s.Agents[i].Reason = snapshot.Available, ""
			}
		}, false},
	}
	for _, v := range []views.Variant{
		{Board: views.DefaultBoard(), Audience: views.Wall},
		{Board: views.DefaultBoard(), Audience: views.Manager},
	} {
		t.Run(string(v.Audience), func(t *testing.T) {
			lp := startLivePage(t, v, base)
			live, fresh := lp.openLive(t, browser), newTab(t, browser)
			prev := base
			prevTiles := renderTiles(t, v, prev)
			for i, st := range steps {
				next := cloneAgents(prev)
				st.edit(next)
				nextTiles := renderTiles(t, v, next)
				msg := views.Message(views.Diff(prevTiles, nextTiles), time.Now())
				if st.small && bytes.Contains(msg, []byte(`id="tile-agents"`)) {
					t.Errorf("%s: the whole agents tile was re-sent for a change of rows", st.name)
				}
				lp.pushed(t, live, msg, i+1)
				lp.set(next)
				fresh.open(t, lp.srv.URL+"/page")
				got, want := evalJS[string](t, live, agentsJS), evalJS[string](t, fresh, agentsJS)
				if got != want {
					t.Fatalf("%s (%d bytes): the live page differs from a fresh load\nlive:  %s\nfresh: %s\nlive rows:  %s\nfresh rows: %s",
						st.name, len(msg), diffFrom(got, want), diffFrom(want, got), evalJS[string](t, live, rowNamesJS), evalJS[string](t, fresh, rowNamesJS))
				}
				t.Logf("%s: %d bytes, %d rows", st.name, len(msg), strings.Count(got, "<tr ")-1)
				prev, prevTiles = next, nextTiles
			}
		})
	}
}

func renderTiles(t *testing.T, v views.Variant, s *snapshot.Snapshot) views.Tileset {
	t.Helper()
	ts, err := views.RenderTiles(context.Background(), v, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// diffFrom returns a from a little before where it first differs from b, cut short.
func diffFrom(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	a = a[max(0, i-150):]
	if len(a) > 500 {
		a = a[:500] + "…"
	}
	return a
}
