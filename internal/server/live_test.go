package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// liveSnap is a small snapshot whose first skill has `waiting` contacts waiting.
func liveSnap(version uint64, waiting int64) *snapshot.Snapshot {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	return &snapshot.Snapshot{
		Version: version, TakenAt: now,
		Skills: []snapshot.Skill{
			{Key: "comm100:a", ID: "a", Source: "comm100", Name: "Sales", Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some(waiting)}}},
			{Key: "comm100:b", ID: "b", Source: "comm100", Name: "Support", Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some[int64](1)}}},
		},
		Agents:   []snapshot.Agent{{Key: "comm100:x", ID: "x", Source: "comm100", Name: "Ann", State: snapshot.Available, Skills: []string{"comm100:a"}}},
		Accounts: []snapshot.Account{},
		Sources:  []snapshot.SourceStatus{{ID: "comm100", Kind: "comm100", LastSuccess: now}},
	}
}

type liveEnv struct {
	srv   *Server
	ts    *httptest.Server
	store *snapshot.Store
}

func newLiveEnv(t *testing.T) *liveEnv {
	t.Helper()
	st := snapshot.NewStore()
	st.Publish(liveSnap(1, 2))
	// Hundreds of anonymous sockets from 127.0.0.1: above the default per-address cap.
	srv := New(Options{Store: st, Limits: Limits{MaxPublicSocketsPerIP: 1000}})
	ctx, cancel := context.WithCancel(context.Background())
	go srv.Run(ctx)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); ts.Close(); cancel() })
	return &liveEnv{srv: srv, ts: ts, store: st}
}

// dial opens a live channel like the wall page does and returns its first message.
func (e *liveEnv) dial(t *testing.T, ctx context.Context) (*websocket.Conn, string) {
	t.Helper()
	url := "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws?board=demo&view=wall"
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.SetReadLimit(1 << 20)
	_, msg, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("first message: %v", err)
	}
	return c, string(msg)
}

// TestRendersDoNotGrowWithClients: N clients on one board variant cost one render per
// snapshot, whether N is 1 or 200 — the hub fans out the same bytes.
func TestRendersDoNotGrowWithClients(t *testing.T) {
	t.Parallel()
	renders := map[int]int64{}
	for _, n := range []int{1, 200} {
		e := newLiveEnv(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		conns := make([]*websocket.Conn, n)
		for i := range conns {
			conns[i], _ = e.dial(t, ctx)
		}
		before := e.srv.live.renders.Load()
		e.store.Publish(liveSnap(2, 5))
		var wg sync.WaitGroup
		for _, c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), `id="srv-clock"`) {
					t.Errorf("diff not received: %v %q", err, msg)
				}
			}()
		}
		wg.Wait()
		renders[n] = e.srv.live.renders.Load() - before
		for _, c := range conns {
			c.CloseNow()
		}
		cancel()
	}
	if renders[1] != 1 || renders[200] != renders[1] {
		t.Errorf("renders per snapshot: 1 client %d, 200 clients %d; want 1 and 1", renders[1], renders[200])
	}
}

// TestOneFigureChangeIsOneSmallMessage: changing one skill's waiting count sends one
// message holding only that tile, under 1 KB.
func TestOneFigureChangeIsOneSmallMessage(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, full := e.dial(t, ctx)
	defer c.CloseNow()
	if !strings.Contains(full, "Sales") || !strings.Contains(full, "Support") {
		t.Fatalf("first message is not the full tile set: %.200s", full)
	}
	e.store.Publish(liveSnap(2, 7))
	_, msg, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg) >= 1024 {
		t.Errorf("one skill's waiting change sent %d bytes, want < 1024", len(msg))
	}
	if strings.Contains(string(msg), "Support") {
		t.Errorf("diff carries an unchanged skill: %s", msg)
	}
	t.Logf("one-figure diff: %d bytes; full tile set: %d bytes", len(msg), len(full))
}

func TestPageErrors(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	tests := []struct {
		name, path string
		want       int
		wantText   string
	}{
		{"unknown board", "/wall/nope", 404, "no board"},
		{"unknown sort", "/boards/demo?sort=shoesize", 400, "sort"},
		{"malformed query", "/boards/demo?%zz", 400, "malformed"},
		{"unknown drill-down skill", "/boards/demo?skill=comm100:zzz", 404, "not on this board"},
		{"ws without view", "/ws?board=demo", 400, "view"},
		{"ws unknown board", "/ws?board=nope&view=wall", 404, "no board"},
		{"wall ok", "/wall/demo", 200, "Sales"},
		{"embed tile ok", "/embed/demo/tiles/queue", 200, "<html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, body := get(t, e.ts.URL+tt.path)
			if code != tt.want || !strings.Contains(body, tt.wantText) {
				t.Errorf("GET %s: got %d %.300s; want %d containing %q", tt.path, code, body, tt.want, tt.wantText)
			}
		})
	}
}

// TestJunkFramesCloseOnlyThatClient: a client that sends data on the push-only
// channel is closed with 1008; the server goes on serving others.
func TestJunkFramesCloseOnlyThatClient(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bad, _ := e.dial(t, ctx)
	good, _ := e.dial(t, ctx)
	defer good.CloseNow()
	if err := bad.Write(ctx, websocket.MessageText, []byte("<junk/>")); err != nil {
		t.Fatal(err)
	}
	_, _, err := bad.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
		t.Errorf("junk sender closed with %v (%v), want 1008", got, err)
	}
	e.store.Publish(liveSnap(2, 9))
	if _, _, err := good.Read(ctx); err != nil {
		t.Errorf("other client stopped receiving: %v", err)
	}
}

// TestShutdownClosesWith1012 lets pages reconnect by themselves after a deploy.
func TestShutdownClosesWith1012(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _ := e.dial(t, ctx)
	e.srv.Close()
	_, _, err := c.Read(ctx)
	if got := websocket.CloseStatus(err); got != websocket.StatusServiceRestart {
		t.Errorf("got close status %v (%v), want 1012", got, err)
	}
	resp, err := http.Get(e.ts.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("server stopped serving plain HTTP: %v", err)
	}
}

// TestBoardVariantsMetricCountsWatchedOnly: ccdash_board_variants counts variants with
// a live page, not topics the hub keeps rendered for a while after the last one left.
func TestBoardVariantsMetricCountsWatchedOnly(t *testing.T) {
	t.Parallel()
	e := newLiveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _ := e.dial(t, ctx)
	if _, body := get(t, e.ts.URL+"/metrics"); !strings.Contains(body, "ccdash_board_variants 1\n") {
		t.Errorf("with one page open: metrics lack ccdash_board_variants 1")
	}
	c.Close(websocket.StatusNormalClosure, "")
	for {
		_, body := get(t, e.ts.URL+"/metrics")
		if strings.Contains(body, "ccdash_ws_clients 0\n") {
			if !strings.Contains(body, "ccdash_board_variants 0\n") {
				t.Errorf("after the last page left: got %q, want ccdash_board_variants 0", metricLine(body, "ccdash_board_variants"))
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatal("the closed socket was never unsubscribed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func metricLine(body, name string) string {
	for l := range strings.Lines(body) {
		if strings.HasPrefix(l, name+" ") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
