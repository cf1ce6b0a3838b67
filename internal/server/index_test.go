package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func parseHTML(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIndexListsVisibleBoards: / lists exactly the boards the viewer may open, each
// with its manager, wall and embed links; the header offers Sign in to anonymous
// visitors, Sign out to users, and the admin links to admins only.
func TestIndexListsVisibleBoards(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	anon, mgr, adm := e.client(t), e.client(t), e.client(t)
	e.login(t, mgr, "manager", managerPW)
	e.login(t, adm, "admin", adminPW)
	for _, tc := range []struct {
		name    string
		c       *http.Client
		boards  string
		account string
		admin   bool
	}{
		{"anonymous", anon, "demo", "Sign in", false},
		{"manager", mgr, "lobby demo", "Sign out", false},
		{"admin", adm, "lobby demo", "Sign out", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.c, "GET", e.ts.URL+"/", nil)
			if r.code != http.StatusOK {
				t.Fatalf("GET /: %d", r.code)
			}
			d := parseHTML(t, r.body)
			var ids []string
			d.Find(`[data-testid="board"]`).Each(func(_ int, s *goquery.Selection) {
				id := s.AttrOr("data-board", "")
				ids = append(ids, id)
				var links []string
				s.Find(".views a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
				if want := "/boards/" + id + " /wall/" + id + " /embed/" + id; strings.Join(links, " ") != want {
					t.Errorf("board %s links %v, want %s", id, links, want)
				}
			})
			if got := strings.Join(ids, " "); got != tc.boards {
				t.Errorf("boards listed: %q, want %q", got, tc.boards)
			}
			if got := strings.TrimSpace(d.Find("header .account").Text()); got != tc.account {
				t.Errorf("account link %q, want %q", got, tc.account)
			}
			for _, href := range []string{"/admin/devices", "/admin/embeds"} {
				if got := d.Find(`header a[href="`+href+`"]`).Length() == 1; got != tc.admin {
					t.Errorf("header link %s shown: %v, want %v", href, got, tc.admin)
				}
			}
		})
	}
	t.Run("manager board header", func(t *testing.T) {
		for c, admin := range map[*http.Client]bool{mgr: false, adm: true} {
			d := parseHTML(t, do(t, c, "GET", e.ts.URL+"/boards/lobby", nil).body)
			if d.Find(`header a[href="/logout"]`).Length() != 1 {
				t.Error("manager board header has no Sign out")
			}
			if got := d.Find(`header a[href="/admin/devices"]`).Length() == 1; got != admin {
				t.Errorf("Devices link shown: %v, want %v (admin)", got, admin)
			}
		}
	})
}

// TestEmbedsPage: admins get every board's tile ids with copy buttons; others do not.
func TestEmbedsPage(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	mgr, adm := e.client(t), e.client(t)
	e.login(t, mgr, "manager", managerPW)
	e.login(t, adm, "admin", adminPW)
	if r := do(t, mgr, "GET", e.ts.URL+"/admin/embeds", nil); r.code != http.StatusForbidden {
		t.Errorf("manager GET /admin/embeds: %d, want 403", r.code)
	}
	r := do(t, adm, "GET", e.ts.URL+"/admin/embeds", nil)
	if r.code != http.StatusOK {
		t.Fatalf("admin GET /admin/embeds: %d", r.code)
	}
	d := parseHTML(t, r.body)
	for _, b := range []string{"lobby", "demo"} {
		sec := d.Find(`[data-testid="embed-board"][data-board="` + b + `"]`)
		for _, tile := range []string{"queue", "skills", "agents", "today", "freshness", "tile-skill-comm100_3aa"} {
			row := sec.Find(`[data-tile="` + tile + `"]`)
			if row.Length() != 1 || row.Find("button[data-copy]").Length() != 2 {
				t.Errorf("board %s: tile %s listed %d times with %d copy buttons", b, tile, row.Length(), row.Find("button[data-copy]").Length())
				continue
			}
			if cmd := row.Find("code").Last().Text(); cmd != "dashboard embed-url --board "+b+" --tile "+tile {
				t.Errorf("board %s tile %s command %q", b, tile, cmd)
			}
			// Every copy button copies an element that exists.
			row.Find("button[data-copy]").Each(func(_ int, s *goquery.Selection) {
				if d.Find("#"+s.AttrOr("data-copy", "x")).Length() != 1 {
					t.Errorf("copy button targets missing #%s", s.AttrOr("data-copy", ""))
				}
			})
		}
	}
}

// TestEmbedTheme: ?theme= sets an embed page's theme; another value, or a theme on a
// page that is not an embed, is a 400 with the reason.
func TestEmbedTheme(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, nil)
	c := e.client(t)
	for _, tc := range []struct {
		path  string
		code  int
		class string
	}{
		{"/embed/demo/tiles/queue?theme=light", 200, "theme-light"},
		{"/embed/demo?theme=transparent", 200, "theme-transparent"},
		{"/embed/demo/tiles/queue?theme=dark", 200, "theme-dark"},
		{"/embed/demo/tiles/queue", 200, ""},
		{"/embed/demo/tiles/queue?theme=neon", 400, ""},
		{"/embed/demo/tiles/queue?theme=dark&theme=light", 400, ""},
		{"/wall/demo?theme=dark", 400, ""},
	} {
		r := do(t, c, "GET", e.ts.URL+tc.path, nil)
		if r.code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, r.code, tc.code)
			continue
		}
		if r.code == 400 && !strings.Contains(r.body, "dark, light or transparent") {
			t.Errorf("GET %s: 400 without the reason: %.300s", tc.path, r.body)
		}
		if r.code == 200 {
			cls := parseHTML(t, r.body).Find("body").AttrOr("class", "")
			if tc.class != "" && !strings.Contains(cls, tc.class) || tc.class == "" && strings.Contains(cls, "theme-") {
				t.Errorf("GET %s: body class %q, want %q", tc.path, cls, tc.class)
			}
		}
	}
}
