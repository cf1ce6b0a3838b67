package views

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// Tile is one rendered, swappable element: HTML is the tile's root element, whose id
// is ID. A Tile with empty HTML in a Diff result means "remove the element".
type Tile struct {
	ID   string
	HTML []byte
	// at, when set, makes the Tile an insertion into a list rather than a
	// replacement: the htmx out-of-band target ("afterend:#id", "afterbegin:#list").
	at string
}

// Tileset is every swappable element of one variant rendered from one snapshot, in
// page order. Containers hold child elements (the skills grid its skill tiles, a
// tile its figures); the set remembers each container's shape so Diff can tell a
// changed figure (send the child) from a changed structure (send the container).
type Tileset struct {
	tiles  []Tile
	index  map[string]int
	parent map[string]string   // child id → container id
	shape  map[string]string   // container id → its HTML with children cut out
	lists  map[string][]string // list id → its kids' ids in order
	kinds  map[TileKind]string
}

// Tiles returns every tile, containers before their children, in page order.
func (ts Tileset) Tiles() []Tile { return ts.tiles }

// Len is the number of tiles, children included.
func (ts Tileset) Len() int { return len(ts.tiles) }

// Get returns the tile with id.
func (ts Tileset) Get(id string) (Tile, bool) {
	i, ok := ts.index[id]
	if !ok {
		return Tile{}, false
	}
	return ts.tiles[i], true
}

// Full returns the top-level tiles (containers carry their children): what a new or
// reconnecting client needs to be fully current. It equals Diff(Tileset{}, ts).
func (ts Tileset) Full() []Tile {
	out := make([]Tile, 0, len(ts.kinds))
	for _, t := range ts.tiles {
		if _, child := ts.parent[t.ID]; !child {
			out = append(out, t)
		}
	}
	return out
}

func (ts *Tileset) add(id string, html []byte, parent string) {
	if ts.index == nil {
		ts.index, ts.parent, ts.shape, ts.kinds = map[string]int{}, map[string]string{}, map[string]string{}, map[TileKind]string{}
		ts.lists = map[string][]string{}
	}
	ts.index[id] = len(ts.tiles)
	ts.tiles = append(ts.tiles, Tile{ID: id, HTML: html})
	if parent != "" {
		ts.parent[id] = parent
	}
}

// render renders one component into fresh bytes.
func render(ctx context.Context, c templ.Component, sizeHint int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(sizeHint)
	if err := c.Render(ctx, &b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// tileKinds is what a variant renders: wall and manager always carry freshness
// (their header shows it, and the page ages data from it); embeds only if listed.
// A drill-down shows its skill once: the heading names it and the queue tile holds
// its figures, so the skills grid (one tile repeating both) is left out.
func tileKinds(v Variant) []TileKind {
	ks := slices.Clone(v.Board.kinds())
	if v.Skill != "" {
		ks = slices.DeleteFunc(ks, func(k TileKind) bool { return k == TileSkills })
	}
	if v.Audience != Embed && !v.Board.Shows(TileFreshness) {
		ks = append(ks, TileFreshness)
	}
	return ks
}

// RenderTiles renders every tile of variant v from snap (nil = no data yet). The
// output depends only on v and snap, never on the clock, so an unchanged snapshot
// renders byte-identical tiles. An unknown drill-down skill wraps ErrNotFound.
func RenderTiles(ctx context.Context, v Variant, snap *snapshot.Snapshot) (Tileset, error) {
	return RenderTilesWith(ctx, v, snap, nil)
}

// RenderTilesWith is RenderTiles with the board's recent history: the queue and
// skill tiles carry sparklines from tr (nil: none, history is not kept). The output
// depends only on v, snap and tr: build tr once per snapshot (NewTrends) and every
// variant, page and diff of that snapshot agrees byte for byte.
func RenderTilesWith(ctx context.Context, v Variant, snap *snapshot.Snapshot, tr *Trends) (Tileset, error) {
	d, err := newData(v, snap)
	if err != nil {
		return Tileset{}, err
	}
	d.withTrends(tr)
	return d.renderTiles(ctx)
}

// withTrends keeps tr for the tiles that chart it: walls and manager boards.
func (d *data) withTrends(tr *Trends) {
	if d.v.Audience != Embed && d.snap != nil {
		d.trends = tr
	}
}

func (d *data) renderTiles(ctx context.Context) (Tileset, error) {
	v := d.v
	var ts Tileset
	for _, k := range tileKinds(v) {
		var (
			n   node
			err error
		)
		switch k {
		case TileQueue:
			n, err = d.queueNode(ctx)
		case TileAgents:
			n, err = d.agentsNode(ctx)
		case TileToday:
			n, err = d.todayNode(ctx)
		case TileFreshness:
			n, err = d.freshnessNode(ctx)
		case TileSkills:
			n, err = d.skillsNode(ctx)
		default:
			err = fmt.Errorf("unknown tile kind %q", k)
		}
		if err == nil {
			err = ts.addNode(n, "")
		}
		if err != nil {
			return Tileset{}, fmt.Errorf("views: render %s tile of board %q: %w", k, v.Board.ID, err)
		}
		ts.kinds[k] = n.ID
	}
	return ts, nil
}

// PageOpts are the per-request parts of a page.
type PageOpts struct {
	// WSURL is the live channel (e.g. "/ws?board=lobby&view=wall"); empty = static page.
	WSURL string
	// ServerNow is the server clock at render; the page corrects its clock with it.
	ServerNow time.Time
	// Nonce is a CSP nonce. Unused today: pages have no inline script or style, so
	// the strictest policy works without one.
	Nonce string
	// User is shown on the manager view.
	User string
	// Admin adds the admin links to the manager view's header.
	Admin bool
	// Theme is an embed page's theme (see ParseTheme); ignored by other views.
	Theme string
	// Alerts, when set, adds the alert banner (wall and manager pages) and CSRF is the
	// session token its acknowledge forms need.
	Alerts *AlertState
	CSRF   string
	// Notices, when set, adds the announcement tiles (the wall's bands, the manager
	// board's list); NoticeForm adds the post form to the manager board.
	Notices    *Notices
	NoticeForm *templates.NoticeFormProps
	// Tile, on an embed page, limits it to one tile: a kind ("queue", "agents",
	// "today", "freshness", "skills") or a tile id ("tile-skill-…"). Unknown wraps
	// ErrNotFound.
	Tile string
	// TimeTravel, on a manager page, shows the board as it was (snap is then the
	// recorded snapshot). Walls and embeds never time travel: it is ignored there.
	TimeTravel *TimeTravel
	// Trends are the sparklines' history (see RenderTilesWith): the live loop's
	// for snap on a live page, as of the moment on a time-travel page.
	Trends *Trends
	// Day, on a manager drill-down, is the skill's day chart (nil: none).
	Day *DayChart
	// Conversations, on a manager drill-down whose source lists conversations, adds
	// the conversations list (see Tileset.AddConversations).
	Conversations *ConversationsState
}

// RenderPage writes the full HTML page of variant v. The tiles in it are the same
// bytes RenderTiles gives, so later diffs apply to exactly what the page holds.
func RenderPage(ctx context.Context, w io.Writer, v Variant, snap *snapshot.Snapshot, p PageOpts) error {
	var notices Notices
	if p.Notices != nil {
		notices = *p.Notices
	}
	v.Reserve = WallReserve(v, p.Alerts, notices)
	d, err := newData(v, snap)
	if err != nil {
		return err
	}
	d.withTrends(p.Trends)
	ts, err := d.renderTiles(ctx)
	if err != nil {
		return err
	}
	if p.Alerts != nil {
		if err := ts.AddAlerts(ctx, v, *p.Alerts); err != nil {
			return fmt.Errorf("views: render alerts of board %q: %w", v.Board.ID, err)
		}
	}
	if p.Notices != nil {
		if err := ts.AddNotices(ctx, v, notices); err != nil {
			return fmt.Errorf("views: render announcements of board %q: %w", v.Board.ID, err)
		}
	}
	if p.Conversations != nil {
		if err := ts.AddConversations(ctx, v, *p.Conversations); err != nil {
			return fmt.Errorf("views: render conversations of board %q: %w", v.Board.ID, err)
		}
	}
	pp := templates.PageProps{
		Title:       v.Board.Title + " · ccdash",
		BoardTitle:  v.Board.Title,
		Audience:    templates.Audience(v.Audience),
		WSURL:       p.WSURL,
		ServerNowMS: msString(p.ServerNow),
		ClockText:   p.ServerNow.Local().Format("15:04:05"),
		User:        p.User,
		Admin:       p.Admin,
		CSRF:        p.CSRF,
		ShellRev:    ShellRev(v, p.Alerts != nil),
	}
	get := func(k TileKind) []byte {
		t, _ := ts.Get(ts.kinds[k])
		return t.HTML
	}
	var c templ.Component
	switch v.Audience {
	case Wall:
		pp.Freshness, pp.Queue, pp.Skills, pp.Agents, pp.Today = get(TileFreshness), get(TileQueue), get(TileSkills), get(TileAgents), get(TileToday)
		pp.Alerts, pp.Urgent, pp.Ticker = get(kindAlerts), get(kindUrgent), get(kindTicker)
		pp.MainClass = layoutClass(pp)
		pp.Size, pp.Theme = string(v.size()), cmp.Or(v.Board.Theme, "dark")
		pp.ThemeCSS, pp.LogoURL = ThemeCSSURL(v.Board), v.Board.LogoURL
		c = templates.WallPage(pp)
	case Manager:
		pp.Freshness, pp.Queue, pp.Skills, pp.Agents, pp.Today = get(TileFreshness), get(TileQueue), get(TileSkills), get(TileAgents), get(TileToday)
		pp.Alerts, pp.Notices, pp.NoticeForm = get(kindAlerts), get(kindNotices), p.NoticeForm
		pp.Conversations = get(kindConversations)
		pp.Nav = []templates.NavLink{{Label: "Boards", Href: "/"}, {Label: v.Board.Title, Href: "/boards/" + v.Board.ID, Active: true}, {Label: "Wall view", Href: "/wall/" + v.Board.ID}}
		if p.TimeTravel != nil {
			pp.History = p.TimeTravel.bar()
		}
		if pp.Day, err = d.dayChart(ctx, p.Day); err != nil {
			return fmt.Errorf("views: render day chart of board %q: %w", v.Board.ID, err)
		}
		if d.skill != nil {
			pp.Crumb = []templates.NavLink{{Label: v.Board.Title, Href: "/boards/" + v.Board.ID}}
			pp.BoardTitle = d.skill.Name
			pp.Title = d.skill.Name + " · " + pp.Title
		}
		pp.MainClass = layoutClass(pp)
		c = templates.ManagerPage(pp)
	default:
		if p.Tile != "" {
			id, ok := ts.kinds[TileKind(p.Tile)]
			if !ok {
				id = p.Tile
			}
			t, ok := ts.Get(id)
			if !ok {
				return fmt.Errorf("views: embed tile %q of board %q: %w", p.Tile, v.Board.ID, ErrNotFound)
			}
			pp.Body = [][]byte{t.HTML}
			pp.MainClass = "one"
		} else {
			for _, t := range ts.Full() {
				pp.Body = append(pp.Body, t.HTML)
			}
		}
		pp.Theme = p.Theme
		c = templates.EmbedPage(pp)
	}
	if err := c.Render(ctx, w); err != nil {
		return fmt.Errorf("views: render %s page of board %q: %w", v.Audience, v.Board.ID, err)
	}
	return nil
}

// ThemeCSSURL is the board's own stylesheet (its accent colour), or "" when the
// board keeps the default; the server serves it (ThemeCSS).
func ThemeCSSURL(b Board) string {
	if b.Accent == "" {
		return ""
	}
	return "/theme/" + url.PathEscape(b.ID) + ".css"
}

// LogoFileURL is where the server serves a board's logo file.
func LogoFileURL(boardID string) string { return "/theme/" + url.PathEscape(boardID) + ".logo" }

// LogoTypes are the logo files a board may name, by extension, with their type.
var LogoTypes = map[string]string{".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}

// ThemeCSS is the stylesheet ThemeCSSURL names: the accent as a custom property.
// Accent is validated as #rrggbb, so it is safe to write into CSS.
func ThemeCSS(b Board) []byte {
	if b.Accent == "" {
		return nil
	}
	return []byte(":root, body, body.aud-wall { --accent-deco: " + b.Accent + "; }\n")
}

// layoutClass tells the page grid which regions exist, so a board with fewer tiles
// still fills the screen.
func layoutClass(p templates.PageProps) string {
	var c []string
	if len(p.Queue) == 0 {
		c = append(c, "no-queue")
	}
	if len(p.Skills) == 0 {
		c = append(c, "no-skills")
	}
	if len(p.Agents) == 0 {
		c = append(c, "no-agents")
	}
	if len(p.Today) == 0 {
		c = append(c, "no-today")
	}
	return strings.Join(c, " ")
}

// RenderNotFound writes a 404 page; msg says what was not found, in plain words.
func RenderNotFound(ctx context.Context, w io.Writer, msg string) error {
	return RenderError(ctx, w, 404, msg)
}

// RenderError writes an error page for status (400 with the reason of a bad query,
// 404, 500 with a generic message). msg is shown as is: never pass err.Error() of an
// internal failure.
func RenderError(ctx context.Context, w io.Writer, status int, msg string) error {
	heading := map[int]string{400: "Bad request", 401: "Sign in needed", 403: "Not allowed", 404: "Not found", 500: "Something went wrong", 503: "Not ready yet"}[status]
	if heading == "" {
		heading = "Error"
	}
	if err := templates.ErrorPage(templates.ErrorPageProps{Status: status, Heading: heading, Message: msg}).Render(ctx, w); err != nil {
		return fmt.Errorf("views: render %d page: %w", status, err)
	}
	return nil
}
