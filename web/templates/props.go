package templates

// Level is how a figure compares with its thresholds. The template shows it by
// colour AND by a glyph and a word, so it reads without colour vision.
type Level string

// Levels. LevelNone is for figures without thresholds and for unknown values.
const (
	LevelNone Level = ""
	LevelOK   Level = "ok"
	LevelWarn Level = "warn"
	LevelCrit Level = "crit"
)

// Figure is one labelled number on a tile, already formatted ("—" when unknown).
type Figure struct {
	// ID, when set, makes the figure its own swap target; already a valid id.
	// ValueID, when set, makes its value one too (FigValue): a changed number
	// travels without its label.
	ID, ValueID string
	Label       string
	Value       string
	Level       Level
	// Note is a small qualifier under the label ("≤ 30s", "30 min"); optional.
	Note string
	// Title is the figure's tooltip, e.g. the true value of a capped one ("true
	// value 112%"); optional.
	Title string
}

// TileMeta is what every tile's root element carries.
type TileMeta struct {
	// ID is the element id, the out-of-band swap target; already a valid id.
	ID     string
	TestID string
	// Stale marks a tile whose data comes from a failing source: the last good
	// figures stay, with a visible STALE badge.
	Stale bool
	// Dim marks a tile whose every source is failing: its figures are dimmed. A
	// tile mixing sources with one failing is Stale (badge) but not Dim; its
	// per-source parts dim on their own.
	Dim bool
	// StaleNames names the failing sources in the badge of a tile that mixes
	// sources ("comm100"); empty otherwise.
	StaleNames string
	// Sources lists the ids of the sources the tile's data comes from, space
	// separated; the page marks the tile stale when one of them ages out.
	Sources string
}

// QueueTileProps is the queue health summary over a board's skills.
type QueueTileProps struct {
	TileMeta
	Title   string
	Figures []Figure
	// Empty, when set, replaces the figures (no data yet, no skills in view).
	Empty string
	// Extra is a slot for more content under the figures (a sparkline), already
	// rendered; nil renders nothing.
	Extra []byte
}

// ChannelFigures is one channel's figures on a skill tile.
type ChannelFigures struct {
	// Label names the channel when the skill serves more than one; empty otherwise.
	Label string
	// Main is the headline figure (contacts waiting); Figures are the rest.
	Main    Figure
	Figures []Figure
}

// SkillTileProps is one skill's tile.
type SkillTileProps struct {
	TileMeta
	Name string
	// Source is the source id the skill comes from, shown small; empty when the
	// board has one source (then it tells nothing).
	Source string
	// Href links to the skill's drill-down (manager view only); empty for no link.
	Href     string
	Channels []ChannelFigures
	// Agents are the skill's agents by state (available, busy, away).
	Agents []StateCount
	// Extra is a slot for more content in the tile (a sparkline), already
	// rendered; nil renders nothing.
	Extra []byte
}

// SkillsMoreProps is the wall's note on the skills it left off for lack of room.
type SkillsMoreProps struct {
	ID string
	// Text is "+12 more skills, all OK" or "+12 more skills: 1 ◆ CRIT"; empty when
	// every skill is shown (the element stays, empty, so it can be swapped).
	Text  string
	Level Level
}

// SkillsGridProps is the swappable container of skill tiles. It is re-sent whole
// when the set of skills changes, so the page structure follows the snapshot.
type SkillsGridProps struct {
	ID, TestID string
	// Class sizes the grid (column count for the wall).
	Class string
	// Tiles holds the rendered skill tiles, in order.
	Tiles [][]byte
	// More is the rendered SkillsMore note (wall only); nil elsewhere.
	More  []byte
	Empty string
}

// StateCount is one entry of the agent state summary.
type StateCount struct {
	// ID, when set, makes the count its own swap target; already a valid id.
	// ValueID, when set, makes its number one too (CountValue).
	ID, ValueID string
	State       string // state key, used as a CSS hook: available, busy, backsoon, away, offline
	Label       string
	N           int
}

// AgentRow is one agent in the agent list.
type AgentRow struct {
	// ID is the row's element id, its swap target.
	ID         string
	Name       string
	State      string // state key (CSS hook)
	StateLabel string
	Reason     string
	// SinceMS is when the agent entered the state (Unix ms) as a decimal string;
	// empty when unknown. The page ticks the time in state from it.
	SinceMS string
	// SinceAtLeast shows the time in state as "≥ 12:34": the state began before
	// ccdash first saw the agent (vendors without a state-since time).
	SinceAtLeast bool
	// Load is "open / max" ("—" when unknown); LoadClass sizes its bar (ld-0..ld-10).
	Load      string
	LoadClass string
	// LoadTitle is the load bar's tooltip when the load is capped ("true load 150%").
	LoadTitle string
	Today     string
	// DayColumns shows LoggedIn, Util and Chatting, the day so far: time logged in,
	// the share of it online (utilisation) and time with a conversation open ("—"
	// when unknown). The tile's DayColumns says the same for its header.
	DayColumns               bool
	LoggedIn, Util, Chatting string
	// Source is the agent's source id; Dim marks a row from a failing source.
	Source string
	Dim    bool
	// Level is warn or crit when the agent has been in the state longer than the
	// board's threshold for it (twice as long for crit); WarnAtMS and CritAtMS are
	// those instants (Unix ms) for the page to raise the level between polls.
	Level              Level
	WarnAtMS, CritAtMS string
}

// AgentRowsProps is the agent list's body: its id and its rendered rows.
type AgentRowsProps struct {
	ID   string
	Rows [][]byte
}

// SortLink is one sort option of the manager's agent list.
type SortLink struct {
	Label, Href string
	Active      bool
}

// AgentsTileProps is the agent status tile: counts by state and a list.
type AgentsTileProps struct {
	TileMeta
	Title  string
	Counts []StateCount
	Rows   []AgentRow
	// RowsID is the list body's element id; MoreID the "+N more" note's.
	RowsID, MoreID string
	// Body is the list body, rendered by AgentRows from Rows (each row is
	// rendered once and reused: alone it is a swap target).
	Body []byte
	// More is how many agents were left off the capped (wall) list.
	More  int
	Sorts []SortLink
	// Scroll lets a long list scroll (manager); the wall caps instead.
	Scroll bool
	Empty  string
	// DayColumns adds the day-so-far columns (logged in, utilisation, in chat);
	// DayTitle names their window ("since 06:00").
	DayColumns bool
	DayTitle   string
}

// TodayGroupProps is one group of account figures ("Right now" or "Today" of one
// source). Each group is its own swap target: a new "chats today" figure sends one
// small group, not the whole tile.
type TodayGroupProps struct {
	ID    string
	Class string // "now" or "day"
	Title string
	// Window names the day's window after the title ("since 06:00"); optional.
	Window string
	// Stale marks figures from a failing source; Source is that source's id (the
	// page dims the group when it ages out).
	Stale   bool
	Source  string
	Figures []Figure
}

// AccountBlock is one source's account-level figures: its rendered groups.
type AccountBlock struct {
	Source   string
	Now, Day []byte
}

// TodayTileProps is the "today and right now" tile.
type TodayTileProps struct {
	TileMeta
	Title    string
	Accounts []AccountBlock
	Empty    string
}

// SourceRow is one source's freshness.
type SourceRow struct {
	ID, Kind string
	// TargetID, when set, makes the row its own swap target; already a valid id.
	// UpdatedID, when set, makes its dot, which carries UpdatedMS, one too
	// (SourceDot): a poll changes nothing else.
	TargetID, UpdatedID string
	// UpdatedMS is the last success (Unix ms, decimal string; empty if never); the
	// page ticks "updated N s ago" from it and marks the source stale once its age
	// exceeds StaleAfterMS.
	UpdatedMS    string
	StaleAfterMS string
	Failing      bool
	// SinceText is when the source's data was last good ("10:42", server time) and
	// SinceMS the same instant for the page to show in its own time zone; both are
	// empty when the source never delivered.
	SinceText, SinceMS string
	// Why is the source's short, secret-free last error ("503 from realTime/Queue"),
	// shown only while failing.
	Why string
}

// FreshnessTileProps shows every source's freshness.
type FreshnessTileProps struct {
	TileMeta
	Sources []SourceRow
	Empty   string
	// Replica is this replica's role among replicas; nil on a single replica.
	Replica *ReplicaRow
}

// ReplicaRow is a replica's place in the cluster, shown after the sources.
type ReplicaRow struct {
	// TargetID makes the row its own swap target; already a valid id.
	TargetID string
	// Text is "leader · term 7" or "follower · term 7".
	Text string
	// ReceivedMS is when this replica got its snapshot (Unix ms, decimal string); the
	// page ticks "received N s ago" from it.
	ReceivedMS string
	// LinkDown is set while the replica cannot reach the others (Redis).
	LinkDown bool
}

// Audience names the page flavour, used as a CSS hook on <body>.
type Audience string

// NavLink is a link in the manager header.
type NavLink struct {
	Label, Href string
	Active      bool
}

// PageProps is a whole page. Tile fields hold already-rendered tiles (nil = absent)
// so the page carries exactly the bytes later diffs compare against.
type PageProps struct {
	Title      string
	BoardTitle string
	Audience   Audience
	// WSURL is the live channel; empty renders a static page.
	WSURL string
	// ShellRev fingerprints the page's layout (views.ShellRev): a live message with
	// another one makes the page fetch itself again.
	ShellRev string
	// ServerNowMS is the server clock at render (Unix ms) and ClockText the same
	// time formatted; the page corrects its clock from it.
	ServerNowMS string
	ClockText   string
	User        string
	// Admin shows the admin links (Devices, Embeds) in the manager header.
	Admin bool
	Nav   []NavLink
	// Crumb is the drill-down trail on the manager view (empty at the top level).
	Crumb     []NavLink
	MainClass string
	Freshness []byte
	Queue     []byte
	Skills    []byte
	Agents    []byte
	Today     []byte
	// Conversations is a drill-down's conversations list (manager page only).
	Conversations []byte
	// Alerts is the alert banner tile (nil = the board has no alerting); CSRF is the
	// session's token, which alerts.js adds to acknowledge forms (the banner is shared
	// by every viewer of the variant, so it cannot carry a per-session token itself).
	Alerts []byte
	CSRF   string
	// Urgent and Ticker are a wall's announcement bands (urgent above the tiles, info
	// below); Notices is the manager board's list of them and NoticeForm its post
	// form (nil when the viewer may not post). Nil means none.
	Urgent, Ticker, Notices []byte
	NoticeForm              *NoticeFormProps
	// Body holds extra tiles for an embed page (in order).
	Body [][]byte
	// Theme is the page's colour theme: a wall's board theme ("dark", "light") or
	// an embed's ?theme= ("dark", "light", "transparent"); empty keeps the default.
	Theme string
	// Size is the wall's size class ("hd", "sd", "uhd", "portrait"), a CSS hook.
	Size string
	// ThemeCSS is the board's generated stylesheet (its accent), empty for none.
	ThemeCSS string
	// LogoURL is the board's logo, same origin; empty for none.
	LogoURL string
	// History, on a manager page, shows the board as it was (time travel): the
	// banner and the scrubber. Nil for a live page.
	History *HistoryBar
	// Day is a manager drill-down's day chart (DayChart), already rendered; nil: none.
	Day []byte
}

// HistoryBar is the time-travel banner and timeline scrubber of a manager page.
type HistoryBar struct {
	// AtMS is the moment shown (Unix ms) and AtText it formatted; the page's clocks
	// and times in state stand still at it.
	AtMS   string
	AtText string
	// ValueMS is the scrubber's position: the moment asked for (Unix ms).
	ValueMS string
	// MinMS and MaxMS bound the scrubber (Unix ms); it moves in StepMS.
	MinMS, MaxMS, StepMS string
	// Base is the page's URL without at; the scrubber adds at=<RFC 3339>.
	Base string
	// Back10, Back1, Fwd1 and Fwd10 move by minutes; Live is the live board. An
	// empty move is past the scrubber's end and shows disabled.
	Back10, Back1, Fwd1, Fwd10, Live string
}

// ErrorPageProps is a 404/400/500 page.
type ErrorPageProps struct {
	Status  int
	Heading string
	Message string
}
