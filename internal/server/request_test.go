package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// TestPageLoadNotBlockedBySlowRender: while the live loop is stuck rendering one
// variant (its render waits on a channel), pages of other variants and of the same
// one load, and a socket opens. Before, update held the loop's lock for every render.
func TestPageLoadNotBlockedBySlowRender(t *testing.T) {
	t.Parallel()
	st := snapshot.NewStore()
	st.Publish(liveSnap(1, 2))
	srv := New(Options{Store: st})
	entered, release := make(chan struct{}), make(chan struct{})
	var enterOnce sync.Once
	var slowDone atomic.Bool
	srv.live.render = func(ctx context.Context, v views.Variant, snap *snapshot.Snapshot, tr *views.Trends) (views.Tileset, error) {
		if v.Skill == "comm100:a" && snap != nil && snap.Version == 2 {
			enterOnce.Do(func() { close(entered) })
			<-release
			defer slowDone.Store(true)
		}
		return views.RenderTilesWith(ctx, v, snap, tr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go srv.Run(ctx)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); ts.Close(); cancel() })
	var releaseOnce sync.Once
	t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })

	if code, body := get(t, ts.URL+"/boards/demo?skill=comm100:a"); code != 200 {
		t.Fatalf("drill-down page: %d %.200s", code, body)
	}
	st.Publish(liveSnap(2, 7)) // the loop now renders the drill-down, slowly
	select {
	case <-entered:
	case <-time.After(30 * time.Second):
		t.Fatal("the live loop never started the slow render")
	}
	// A generous timeout: the old loop would hold these until the release, forever.
	c30 := &http.Client{Timeout: 30 * time.Second}
	for _, path := range []string{"/wall/demo", "/boards/demo?sort=name", "/boards/demo?skill=comm100:a"} {
		res, err := c30.Get(ts.URL + path)
		if err != nil {
			t.Fatalf("GET %s during the slow render: %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s during the slow render: %d", path, res.StatusCode)
		}
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	c, _, err := websocket.Dial(wctx, "ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?board=demo&view=wall", nil)
	if err != nil {
		t.Fatalf("socket during the slow render: %v", err)
	}
	c.CloseNow()
	if slowDone.Load() {
		t.Fatal("the slow render finished before it was released: the test proved nothing")
	}
	releaseOnce.Do(func() { close(release) })
}

// TestSocketRefusalsAreJSON: /ws answers every refusal as JSON with a reason, never
// with an HTML page (its client is the page's script).
func TestSocketRefusalsAreJSON(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	tests := []struct {
		name, path string
		want       int
		reason     string
	}{
		{"unknown board", "/ws?board=nope&view=wall", 404, "no board called “nope”"},
		{"no view", "/ws?board=demo", 400, "view must be"},
		{"tile on a wall", "/ws?board=demo&view=wall&tile=queue", 400, "embeds only"},
		{"malformed query", "/ws?board=demo&view=wall&%zz", 400, "malformed"},
		{"anonymous on a private board", "/ws?board=lobby&view=manager", 401, "Sign in"},
		{"bad device link", "/ws?board=lobby&view=wall&device=nope", 401, "not valid"},
		{"unknown sort", "/ws?board=demo&view=wall&sort=shoesize", 400, "sort"},
		{"unknown drill-down skill", "/ws?board=demo&view=manager&skill=comm100:zzz", 404, "not on this board"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, http.DefaultClient, "GET", e.ts.URL+tt.path, nil)
			var body struct {
				Error  string `json:"error"`
				Status int    `json:"status"`
			}
			if r.code != tt.want || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Fatalf("GET %s: %d %q %.200s; want %d JSON", tt.path, r.code, r.header.Get("Content-Type"), r.body, tt.want)
			}
			if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.Status != tt.want || !strings.Contains(body.Error, tt.reason) {
				t.Errorf("GET %s: body %.200s (%v); want status %d and a reason containing %q", tt.path, r.body, err, tt.want, tt.reason)
			}
			if strings.Contains(r.body, "<") {
				t.Errorf("GET %s: HTML in a socket refusal: %.200s", tt.path, r.body)
			}
		})
	}
}

// TestDrillDownOnlyWhereSkillTilesShow: a public board configured to show the queue
// alone hands out no per-skill figures through ?skill= (page or socket); a board
// showing skill tiles still drills down, to its own skills only.
func TestDrillDownOnlyWhereSkillTilesShow(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Boards = append(o.Boards,
			views.Board{ID: "queueonly", Title: "Queue", Public: true, Tiles: []views.TileKind{views.TileQueue}},
			views.Board{ID: "salesonly", Title: "Sales board", Public: true, Skills: []string{"comm100:a"}})
	})
	tests := []struct {
		path string
		want int
	}{
		{"/boards/queueonly?skill=comm100:a", 404},
		{"/wall/queueonly?skill=comm100:b", 404},
		{"/ws?board=queueonly&view=manager&skill=comm100:a", 404},
		{"/boards/queueonly", 200},
		{"/boards/salesonly?skill=comm100:a", 200},
		{"/boards/salesonly?skill=comm100:b", 404},
		{"/ws?board=salesonly&view=wall&skill=comm100:b", 404},
	}
	for _, tt := range tests {
		r := do(t, http.DefaultClient, "GET", e.ts.URL+tt.path, nil)
		if r.code != tt.want {
			t.Errorf("GET %s: %d, want %d", tt.path, r.code, tt.want)
		}
		if r.code != 200 && strings.Contains(r.body, "Support") {
			t.Errorf("GET %s: refusal names another skill: %.200s", tt.path, r.body)
		}
	}
}
