package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

func boardNamed(id string) views.Board { return views.Board{ID: id, Title: id} }

// TestEmbedLinks: a signed link opens its board or tile in an iframe without cookies;
// tampered, expired and out-of-scope links are refused.
func TestEmbedLinks(t *testing.T) {
	t.Parallel()
	now := time.Now()
	e := newAuthEnv(t, nil)
	board := auth.SignEmbed(embedKey, auth.EmbedClaims{Board: "lobby"})
	tile := auth.SignEmbed(embedKey, auth.EmbedClaims{Board: "lobby", Tile: "queue", Expires: now.Add(time.Hour)})
	expired := auth.SignEmbed(embedKey, auth.EmbedClaims{Board: "lobby", Expires: now.Add(-time.Minute)})
	otherKey := auth.SignEmbed([]byte("another key of thirty-two bytes!"), auth.EmbedClaims{Board: "lobby"})
	tampered := []byte(board)
	tampered[3] ^= 1
	tests := []struct {
		name, path string
		want       int
		wantText   string
	}{
		{"board", "/embed/lobby?token=" + board, 200, "Support"},
		{"board link opens a tile", "/embed/lobby/tiles/queue?token=" + board, 200, "tile-queue"},
		{"tile", "/embed/lobby/tiles/queue?token=" + tile, 200, "tile-queue"},
		{"tile link on the board", "/embed/lobby?token=" + tile, 403, "does not give access"},
		{"tile link on another tile", "/embed/lobby/tiles/agents?token=" + tile, 403, ""},
		{"board link on the wall", "/wall/lobby?token=" + board, 403, ""},
		{"expired", "/embed/lobby?token=" + expired, 401, "expired"},
		{"tampered", "/embed/lobby?token=" + url.QueryEscape(string(tampered)), 401, "not valid"},
		{"signed with another key", "/embed/lobby?token=" + otherKey, 401, "not valid"},
		{"garbage", "/embed/lobby?token=abc", 401, "not valid"},
	}
	c := &http.Client{Timeout: 10 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, c, "GET", e.ts.URL+tt.path, nil)
			if r.code != tt.want || !strings.Contains(r.body, tt.wantText) {
				t.Errorf("got %d %.200s; want %d containing %q", r.code, r.body, tt.want, tt.wantText)
			}
			if r.code == 200 && r.header.Get("Set-Cookie") != "" {
				t.Errorf("an embed set a cookie: %q", r.header.Get("Set-Cookie"))
			}
		})
	}
	// A tile link's socket carries that tile only, never the rest of the board.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=embed&tile=queue&token="+tile, nil)
	if err != nil {
		t.Fatalf("tile socket: %v", err)
	}
	defer conn.CloseNow()
	if !strings.Contains(first, "tile-queue") || strings.Contains(first, "Bob Support-Only") || strings.Contains(first, "tile-agents") {
		t.Errorf("tile socket's first message is not the queue tile alone: %.300s", first)
	}
	if _, _, res, err := e.dialWS(t, ctx, nil, "/ws?board=lobby&view=embed&token="+tile, nil); err == nil || res.StatusCode != 403 {
		t.Errorf("tile link on the board's socket: %v, want 403", err)
	}
}

// TestSecurityHeaders: every response says nosniff and no-referrer with a CSP without
// inline script; embeds may be framed by the configured origins only, the rest by
// nobody.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	tok := auth.SignEmbed(embedKey, auth.EmbedClaims{Board: "lobby"})
	tests := []struct{ path, ancestors string }{
		{"/embed/lobby?token=" + tok, "frame-ancestors " + embedOrigin + ";"},
		{"/embed/lobby", "frame-ancestors " + embedOrigin + ";"},
		{"/boards/lobby", "frame-ancestors 'none';"},
		{"/wall/demo", "frame-ancestors 'none';"},
		{"/login", "frame-ancestors 'none';"},
		{"/api/v1/snapshot", "frame-ancestors 'none';"},
		{"/static/app.js", "frame-ancestors 'none';"},
		{"/healthz", "frame-ancestors 'none';"},
		{"/nope", "frame-ancestors 'none';"},
	}
	c := &http.Client{Timeout: 10 * time.Second}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := do(t, c, "GET", e.ts.URL+tt.path, nil)
			csp := r.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self';", tt.ancestors, "base-uri 'none'", "form-action 'self'", "connect-src 'self' ws: wss:"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP allows inline code: %q", csp)
			}
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q", got)
			}
		})
	}
}

// TestWebSocketOrigin: the live channel accepts this server's own pages, and the
// configured embed origins on embed sockets only; it refuses any other Origin with 403.
func TestWebSocketOrigin(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) { o.Auth.PublicURL = "https://wall.example.com" })
	tok := auth.SignEmbed(embedKey, auth.EmbedClaims{Board: "lobby"})
	u, _ := url.Parse(e.ts.URL)
	embed := "/ws?board=lobby&view=embed&token=" + tok
	tests := []struct {
		name, path, origin string
		want               int // 0 = accepted
	}{
		{"no Origin (not a browser)", embed, "", 0},
		{"same host", embed, "http://" + u.Host, 0},
		{"public URL", embed, "https://wall.example.com", 0},
		{"embed origin", embed, embedOrigin, 0},
		{"embed origin over http", embed, "http://crm.example.com", 403},
		{"foreign", embed, "https://evil.example", 403},
		{"look-alike", embed, "https://crm.example.com.evil.example", 403},
		{"manager from same host", "/ws?board=demo&view=manager", "http://" + u.Host, 0},
		{"manager from public URL", "/ws?board=demo&view=manager", "https://wall.example.com", 0},
		{"manager from embed origin", "/ws?board=demo&view=manager", embedOrigin, 403},
		{"wall from embed origin", "/ws?board=demo&view=wall", embedOrigin, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			conn, _, res, err := e.dialWS(t, ctx, nil, tt.path, h)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				conn.CloseNow()
				return
			}
			if err == nil {
				conn.CloseNow()
				t.Fatal("accepted a foreign Origin")
			}
			if res == nil || res.StatusCode != tt.want {
				t.Errorf("got %v, want %d", err, tt.want)
			}
		})
	}
}

// TestEmbedTilesFollowBoardTiles: a tile embed serves only tiles its board shows, so
// a public board configured with the queue alone never serves agent names.
func TestEmbedTilesFollowBoardTiles(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(o *Options) {
		o.Boards = append(o.Boards,
			views.Board{ID: "kiosk", Title: "Kiosk", Public: true, Tiles: []views.TileKind{views.TileQueue}},
			views.Board{ID: "skillwall", Title: "Skill wall", Public: true, Tiles: []views.TileKind{views.TileSkills}})
	})
	sales := views.SkillTileID("comm100:a")
	tests := []struct {
		name, path string
		want       int
	}{
		{"listed kind", "/embed/kiosk/tiles/queue", 200},
		{"unlisted agents", "/embed/kiosk/tiles/agents", 404},
		{"unlisted today", "/embed/kiosk/tiles/today", 404},
		{"skill tile without the skills tile", "/embed/kiosk/tiles/" + sales, 404},
		{"skill tile with the skills tile", "/embed/skillwall/tiles/" + sales, 200},
		{"unlisted kind on a skills board", "/embed/skillwall/tiles/agents", 404},
		{"no list means all", "/embed/demo/tiles/agents", 200},
		{"socket of an unlisted kind", "/ws?board=kiosk&view=embed&tile=agents", 404},
		{"socket of an unlisted skill tile", "/ws?board=kiosk&view=embed&tile=" + sales, 404},
	}
	c := &http.Client{Timeout: 10 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, c, "GET", e.ts.URL+tt.path, nil)
			if r.code != tt.want {
				t.Errorf("GET %s: got %d %.200s; want %d", tt.path, r.code, r.body, tt.want)
			}
			if r.code == 404 && (strings.Contains(r.body, "Ann") || strings.Contains(r.body, "tile-agents")) {
				t.Errorf("GET %s: a refused tile leaked the board: %.300s", tt.path, r.body)
			}
		})
	}
}

// TestSkillTileEmbedBeforeItsSkill: a skill tile asked for before the snapshot has
// that skill (just after a restart, or a skill added later) is answered 503 (page
// without data, socket) or 404 (page with data) and cached nowhere, so the same embed
// shows the skill once it appears.
func TestSkillTileEmbedBeforeItsSkill(t *testing.T) {
	t.Parallel()
	st := snapshot.NewStore() // nothing published yet: the first poll has not run
	e := newAuthEnv(t, func(o *Options) { o.Store = st })
	c := &http.Client{Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	check := func(t *testing.T, key, name string, wantPage, wantWS int) {
		t.Helper()
		tile := views.SkillTileID(key)
		r := do(t, c, "GET", e.ts.URL+"/embed/demo/tiles/"+tile, nil)
		if r.code != wantPage || (wantPage == 200) != strings.Contains(r.body, name) {
			t.Errorf("page of %s: got %d %.200s; want %d", tile, r.code, r.body, wantPage)
		}
		if wantPage == 503 && r.header.Get("Retry-After") == "" {
			t.Errorf("page of %s: 503 without Retry-After", tile)
		}
		conn, first, res, err := e.dialWS(t, ctx, nil, "/ws?board=demo&view=embed&tile="+tile, nil)
		if wantWS == 0 {
			if err != nil {
				t.Fatalf("socket of %s: %v", tile, err)
			}
			defer conn.CloseNow()
			if !strings.Contains(first, name) {
				t.Errorf("socket of %s: first message lacks %q: %.300s", tile, name, first)
			}
			return
		}
		if err == nil {
			conn.CloseNow()
			t.Fatalf("socket of %s opened, want %d", tile, wantWS)
		}
		if res == nil || res.StatusCode != wantWS || res.Header.Get("Retry-After") == "" {
			t.Errorf("socket of %s: got %v, want %d with Retry-After", tile, err, wantWS)
		}
	}
	check(t, "comm100:a", "Sales", 503, 503)
	st.Publish(scopedSnap(1, 1))
	check(t, "comm100:a", "Sales", 200, 0)

	check(t, "comm100:c", "Returns", 404, 503)
	next := scopedSnap(2, 1)
	next.Skills = append(next.Skills, snapshot.Skill{Key: "comm100:c", ID: "c", Source: "comm100", Name: "Returns",
		Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some[int64](3)}}})
	st.Publish(next)
	check(t, "comm100:c", "Returns", 200, 0)
}
