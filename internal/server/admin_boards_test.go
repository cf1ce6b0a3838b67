package server

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ccdash/ccdash/internal/auth"
	"github.com/ccdash/ccdash/internal/boardstore"
	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/screens"
	"github.com/ccdash/ccdash/internal/views"
)

// testParse stands in for main's config parser (whose messages cmd/dashboard's
// tests compare): id, title, public and the waiting thresholds, checked by
// views.Board.Validate.
func testParse(src []byte) (views.Board, error) {
	var c struct {
		ID              string                 `yaml:"id"`
		Title           string                 `yaml:"title"`
		Public          bool                   `yaml:"public"`
		Skills          []string               `yaml:"skills"`
		Thresholds      waitingYAML            `yaml:"thresholds"`
		SkillThresholds map[string]waitingYAML `yaml:"skill_thresholds"`
	}
	if err := yaml.Unmarshal(src, &c); err != nil {
		return views.Board{}, err
	}
	b := views.Board{ID: c.ID, Title: cmpOr(c.Title, c.ID), Public: c.Public, Skills: c.Skills,
		Thresholds: c.Thresholds.thresholds()}
	for _, sk := range slices.Sorted(maps.Keys(c.SkillThresholds)) {
		b.SkillThresholds = append(b.SkillThresholds, views.SkillThresholds{Skill: sk, Thresholds: c.SkillThresholds[sk].thresholds()})
	}
	return b, b.Validate()
}

type waitingYAML struct {
	WaitingWarn int `yaml:"waiting_warn"`
	WaitingCrit int `yaml:"waiting_crit"`
}

func (w waitingYAML) thresholds() views.Thresholds {
	return views.Thresholds{WaitingWarn: w.WaitingWarn, WaitingCrit: w.WaitingCrit}
}

type editorEnv struct {
	*authEnv
	store *bolt.BoardStore
	adm   *http.Client
	tok   string
}

func newEditorEnv(t *testing.T, tweak func(*Options)) *editorEnv {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := bolt.NewBoardStore(db)
	if err != nil {
		t.Fatal(err)
	}
	e := newAuthEnv(t, func(o *Options) {
		o.Editing = BoardEditing{Store: store, Audit: store, Parse: testParse}
		if tweak != nil {
			tweak(o)
		}
	})
	adm := e.client(t)
	e.login(t, adm, "admin", adminPW)
	return &editorEnv{authEnv: e, store: store, adm: adm, tok: e.csrfFrom(t, adm, "/admin/boards/new")}
}

func (e *editorEnv) post(t *testing.T, path string, form url.Values) resp {
	t.Helper()
	form.Set("csrf_token", e.tok)
	return do(t, e.adm, "POST", e.ts.URL+path, form)
}

func (e *editorEnv) audit(t *testing.T) []boardstore.Entry {
	t.Helper()
	got, err := e.store.Recent(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func servedIDs(s *Server) []string {
	var ids []string
	for _, b := range s.Boards() {
		ids = append(ids, b.ID)
	}
	return ids
}

// TestBoardEditorCreateEditCopyDelete: a created board is served at once, after
// the config's; edits, copies and deletes are stored, applied and audited.
func TestBoardEditorCreateEditCopyDelete(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	r := e.post(t, "/admin/boards", url.Values{"id": {"sales"}, "title": {"Sales"}, "thresholds.waiting_warn": {"4"}, "thresholds.waiting_crit": {"9"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	if got := servedIDs(e.srv); !slices.Equal(got, []string{"lobby", "demo", "sales"}) {
		t.Fatalf("served boards after create = %v, want the config's then sales", got)
	}
	if idx := do(t, e.adm, "GET", e.ts.URL+"/", nil).body; !strings.Contains(idx, `href="/wall/sales"`) {
		t.Errorf("the index does not link the new board:\n%.2000s", grepLines(idx, "/wall/"))
	}
	if b, _ := e.srv.boardSet().board("sales"); b.Thresholds.WaitingWarn != 4 || b.Thresholds.WaitingCrit != 9 {
		t.Errorf("served sales thresholds = %+v", b.Thresholds)
	}
	form := do(t, e.adm, "GET", e.ts.URL+"/admin/boards/sales/edit", nil)
	if form.code != http.StatusOK || !strings.Contains(form.body, `name="thresholds.waiting_warn" size="8" value="4"`) {
		t.Fatalf("edit form: %d, does not hold the stored threshold:\n%.1500s", form.code, grepLines(form.body, "waiting"))
	}
	if r := e.post(t, "/admin/boards/sales", url.Values{"id": {"sales"}, "title": {"Sales floor"}, "thresholds.waiting_warn": {"2"}, "thresholds.waiting_crit": {"9"}}); r.code != http.StatusSeeOther {
		t.Fatalf("edit: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	if b, _ := e.srv.boardSet().board("sales"); b.Title != "Sales floor" || b.Thresholds.WaitingWarn != 2 {
		t.Errorf("served sales after edit = %+v", b)
	}
	if r := e.post(t, "/admin/boards", url.Values{"id": {"lobby-copy"}, "title": {"Lobby"}, "copy_of": {"lobby"}}); r.code != http.StatusSeeOther {
		t.Fatalf("copy: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	if r := e.post(t, "/admin/boards/lobby-copy/delete", url.Values{}); r.code != http.StatusSeeOther {
		t.Fatalf("delete: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	if got := servedIDs(e.srv); !slices.Equal(got, []string{"lobby", "demo", "sales"}) {
		t.Errorf("served boards after copy and delete = %v", got)
	}
	entries := e.audit(t)
	var got []string
	for _, en := range entries {
		got = append(got, string(en.Action)+" "+en.Board+" by "+en.Who+": "+en.Summary)
		if en.At.IsZero() || time.Since(en.At) > time.Hour {
			t.Errorf("audit entry time %v", en.At)
		}
	}
	want := []string{
		"delete lobby-copy by admin: id: lobby-copy → (none); title: Lobby → (none)",
		"copy lobby-copy by admin: id: lobby-copy; title: Lobby",
		"edit sales by admin: thresholds.waiting_warn: 4 → 2; title: Sales → Sales floor",
		"create sales by admin: id: sales; thresholds.waiting_crit: 9; thresholds.waiting_warn: 4; title: Sales",
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit log =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	page := do(t, e.adm, "GET", e.ts.URL+"/admin/boards", nil).body
	if !strings.Contains(page, "thresholds.waiting_warn: 4 → 2") || !strings.Contains(page, "config file (read-only)") {
		t.Errorf("/admin/boards does not show the audit log and the read-only boards:\n%.3000s", page)
	}
}

// TestBoardEditorRefusals: config boards refuse edits (403 with why), ids are
// unique across config and stored boards (409), an invalid board is refused with
// the parser's messages (422), and a board a device or playlist shows cannot be
// deleted (409 naming them).
func TestBoardEditorRefusals(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, func(o *Options) {
		o.Screens.Playlists = []screens.Playlist{{ID: "rota", Title: "Rota", Entries: []screens.Entry{{Board: "sales", Duration: time.Minute}}}}
	})
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/boards/lobby/edit"}, {"POST", "/admin/boards/lobby"}, {"POST", "/admin/boards/lobby/delete"},
	} {
		var r resp
		if c.method == "GET" {
			r = do(t, e.adm, "GET", e.ts.URL+c.path, nil)
		} else {
			r = e.post(t, c.path, url.Values{"id": {"lobby"}, "title": {"Mine"}})
		}
		if r.code != http.StatusForbidden || !strings.Contains(r.body, "comes from the config file and is read-only") {
			t.Errorf("%s %s: %d, want 403 saying why:\n%.500s", c.method, c.path, r.code, grepLines(r.body, "read-only"))
		}
	}
	if r := e.post(t, "/admin/boards", url.Values{"id": {"lobby"}}); r.code != http.StatusConflict || !strings.Contains(r.body, "The config file already has a board") {
		t.Errorf("create with a config board's id: %d", r.code)
	}
	r := e.post(t, "/admin/boards", url.Values{"id": {"sales"}, "thresholds.waiting_warn": {"9"}, "thresholds.waiting_crit": {"4"}})
	if r.code != http.StatusUnprocessableEntity || !strings.Contains(r.body, "thresholds.waiting_warn") || !strings.Contains(r.body, `value="9"`) {
		t.Errorf("invalid thresholds: %d, want 422 naming the key with the form kept:\n%.800s", r.code, grepLines(r.body, "waiting"))
	}
	if r := e.post(t, "/admin/boards", url.Values{"id": {"sales"}}); r.code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.code)
	}
	if r := e.post(t, "/admin/boards", url.Values{"id": {"sales"}}); r.code != http.StatusConflict || !strings.Contains(r.body, "already an edited board") {
		t.Errorf("create twice: %d", r.code)
	}
	d, _, err := e.devices.Create(context.Background(), "sales", "Floor TV")
	if err != nil {
		t.Fatal(err)
	}
	r = e.post(t, "/admin/boards/sales/delete", url.Values{})
	if r.code != http.StatusConflict || !strings.Contains(r.body, "device “Floor TV”") || !strings.Contains(r.body, "playlist “Rota”") {
		t.Errorf("delete while bound: %d, want 409 naming the device and playlist:\n%.800s", r.code, grepLines(r.body, "auth-error"))
	}
	if err := e.devices.Bind(context.Background(), d.ID, auth.Binding{Board: "lobby"}); err != nil {
		t.Fatal(err)
	}
	e.srv.SetPlaylists(nil)
	if r := e.post(t, "/admin/boards/sales/delete", url.Values{}); r.code != http.StatusSeeOther {
		t.Errorf("delete after rebinding: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	if n := len(e.audit(t)); n != 2 {
		t.Errorf("audit log has %d entries, want 2 (the refused changes write none)", n)
	}
}

// TestApplyBoardsComposesConfigThenStored: a reload (ApplyBoards) serves the
// config's boards and then the stored ones; a stored board whose id the config now
// has is left out and shown as such.
func TestApplyBoardsComposesConfigThenStored(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	for _, id := range []string{"sales", "zeta"} {
		if r := e.post(t, "/admin/boards", url.Values{"id": {id}}); r.code != http.StatusSeeOther {
			t.Fatalf("create %s: %d", id, r.code)
		}
	}
	if err := e.srv.ApplyBoards(context.Background(), []views.Board{boardNamed("lobby"), {ID: "sales", Title: "From the file"}}); err != nil {
		t.Fatal(err)
	}
	if got := servedIDs(e.srv); !slices.Equal(got, []string{"lobby", "sales", "zeta"}) {
		t.Errorf("served after reload = %v", got)
	}
	if b, _ := e.srv.boardSet().board("sales"); b.Title != "From the file" {
		t.Errorf("sales = %+v, want the config file's", b)
	}
	page := do(t, e.adm, "GET", e.ts.URL+"/admin/boards", nil).body
	if !strings.Contains(page, "Not served: the config file has a board with this id") {
		t.Errorf("/admin/boards does not flag the shadowed board:\n%.3000s", grepLines(page, "board"))
	}
}

// TestBoardPreview renders the unsaved board's wall, framable by this server only,
// and stores nothing.
func TestBoardPreview(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	r := e.post(t, "/admin/boards/preview", url.Values{"id": {"draft"}, "title": {"Draft board"}})
	if r.code != http.StatusOK || !strings.Contains(r.body, "Draft board") || strings.Contains(r.body, "ws-connect") {
		t.Fatalf("preview: %d, want the static wall:\n%.500s", r.code, r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Errorf("preview CSP = %q, want frame-ancestors 'self'", csp)
	}
	r = e.post(t, "/admin/boards/preview", url.Values{"id": {"Draft"}})
	if r.code != http.StatusOK || !strings.Contains(r.body, "cannot be shown yet") {
		t.Errorf("preview of an invalid board: %d %.500s", r.code, r.body)
	}
	if got, _ := e.store.List(context.Background()); len(got) != 0 || slices.Contains(servedIDs(e.srv), "draft") {
		t.Errorf("preview stored or served the board: %+v", got)
	}
}

// TestBoardEditorAdminsOnly: a manager is refused every /admin/boards route (403),
// anyone signed out is sent to sign in, and nothing is stored.
func TestBoardEditorAdminsOnly(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)
	tok := e.csrfFrom(t, mgr, "/login")
	anon := e.client(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/boards"}, {"GET", "/admin/boards/new"}, {"POST", "/admin/boards"},
		{"POST", "/admin/boards/preview"}, {"GET", "/admin/boards/x/edit"}, {"POST", "/admin/boards/x"}, {"POST", "/admin/boards/x/delete"},
	} {
		var form url.Values
		if c.method == "POST" {
			form = url.Values{"csrf_token": {tok}, "id": {"x"}}
		}
		if r := do(t, mgr, c.method, e.ts.URL+c.path, form); r.code != http.StatusForbidden || !strings.Contains(r.body, "Only administrators") {
			t.Errorf("manager %s %s: %d, want 403 for not being an admin:\n%.300s", c.method, c.path, r.code, grepLines(r.body, "error"))
		}
		if c.method == "GET" {
			if r := do(t, anon, c.method, e.ts.URL+c.path, nil); r.code != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Errorf("signed out %s %s: %d %q, want the login page", c.method, c.path, r.code, r.header.Get("Location"))
			}
		}
	}
	if got, _ := e.store.List(context.Background()); len(got) != 0 {
		t.Errorf("a manager's posts stored %+v", got)
	}
}

// TestBoardFormKeepsTheSkillOrder: the skills are picked from the live skill list,
// and an edited board's skills come first in their order, so saving keeps it.
func TestBoardFormKeepsTheSkillOrder(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	form := do(t, e.adm, "GET", e.ts.URL+"/admin/boards/new", nil).body
	a, b := strings.Index(form, `value="comm100:a"`), strings.Index(form, `value="comm100:b"`)
	if a < 0 || b < 0 || a > b {
		t.Fatalf("the new-board form does not offer the live skills in the data's order:\n%.1500s", grepLines(form, "skills"))
	}
	if r := e.post(t, "/admin/boards", url.Values{"id": {"sales"}, "skills": {"comm100:b", "comm100:a"}}); r.code != http.StatusSeeOther {
		t.Fatalf("create: %d", r.code)
	}
	if got, _ := e.srv.boardSet().board("sales"); !slices.Equal(got.Skills, []string{"comm100:b", "comm100:a"}) {
		t.Errorf("served skills = %v", got.Skills)
	}
	form = do(t, e.adm, "GET", e.ts.URL+"/admin/boards/sales/edit", nil).body
	a, b = strings.Index(form, `value="comm100:a" checked`), strings.Index(form, `value="comm100:b" checked`)
	if a < 0 || b < 0 || b > a {
		t.Errorf("the edit form does not list the board's skills ticked, in its order:\n%.1500s", grepLines(form, "skills"))
	}
}

// TestBoardEditorSkillThresholdsRecolourOpenWall: saving one skill's thresholds
// from the form's per-skill row re-colours that skill on an open wall's socket,
// and only that skill; the form shows the stored value again.
func TestBoardEditorSkillThresholdsRecolourOpenWall(t *testing.T) {
	t.Parallel()
	e := newEditorEnv(t, nil)
	board := url.Values{"id": {"sales"}, "public": {"1"}, "thresholds.waiting_warn": {"100"}, "thresholds.waiting_crit": {"200"}}
	if r := e.post(t, "/admin/boards", board); r.code != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", r.code, grepLines(r.body, "auth-error"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, first, _, err := e.dialWS(t, ctx, nil, "/ws?board=sales&view=wall", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	sales, support := figLevel(first, "comm100:a"), figLevel(first, "comm100:b")
	if sales != "ok" || support != "ok" {
		t.Fatalf("before: Sales %q, Support %q waiting, want both ok under the board's 100/200", sales, support)
	}
	board.Set("skill_thresholds.comm100:b.waiting_warn", "1")
	board.Set("skill_thresholds.comm100:b.waiting_crit", "50")
	if r := e.post(t, "/admin/boards/sales", board); r.code != http.StatusSeeOther {
		t.Fatalf("edit: %d %.500s", r.code, grepLines(r.body, "board-form-problem"))
	}
	msg := readUntil(t, ctx, c, `id="`+waitingFigID("comm100:b")+`"`)
	if got := figLevel(msg, "comm100:b"); got != "warn" {
		t.Errorf("Support waiting after its override = %q, want warn:\n%.1000s", got, msg)
	}
	if strings.Contains(msg, `id="`+waitingFigID("comm100:a")+`"`) {
		t.Errorf("the edit re-sent Sales' waiting figure, which the override does not touch:\n%.1000s", msg)
	}
	form := do(t, e.adm, "GET", e.ts.URL+"/admin/boards/sales/edit", nil).body
	if !strings.Contains(form, `name="skill_thresholds.comm100:b.waiting_warn" size="6" value="1"`) {
		t.Errorf("the edit form does not hold the stored override:\n%.1500s", grepLines(form, "skill_thresholds"))
	}
}

func waitingFigID(skill string) string { return "fig-" + views.SkillTileID(skill) + "-chat-waiting" }

// figLevel is the level class ("ok", "warn", "crit") of skill's waiting figure in an
// HTML fragment, "" when the fragment lacks it.
func figLevel(html, skill string) string {
	i := strings.Index(html, `id="`+waitingFigID(skill)+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<")
	tag := html[start : i+strings.Index(html[i:], ">")]
	for _, l := range []string{"crit", "warn", "ok"} {
		if strings.Contains(tag, "lvl-"+l) {
			return l
		}
	}
	return "none"
}
