package templates

// TrendProps is a tile's recent history: sparklines of waiting and service level
// over the last hour, each with an arrow when its 10-minute trend is significant.
// It is its own swap target inside the tile.
type TrendProps struct {
	ID string
	// Span names the charted span ("60 min"); EndMS is when it ends (Unix ms, the
	// start of the snapshot's minute; on each chart): x = i is the minute
	// SparkMinutes-i before.
	Span, EndMS string
	// Note replaces the sparklines: "History unavailable", "No history yet".
	Note   string
	Sparks []SparkProps
}

// SparkProps is one sparkline: an SVG path on a W×H viewBox (x = minute, y = 0 at
// the top, Top at y = 0).
type SparkProps struct {
	// Metric is a CSS and test hook: "waiting", "sl". ID, when set, makes the
	// chart its own swap target (SparkChart).
	Metric, Label, ID string
	// Path is the SVG path data; empty when nothing is known.
	Path string
	W, H string
	// Top is the value drawn at the top edge (the scale), for readers of the SVG.
	Top string
	// Title is the text alternative ("Waiting, last 60 min: lowest 1, …").
	Title string
	// Trend is "up", "down" or "" (no significant trend); TrendText says it in words.
	Trend, TrendText string
}

// trendGlyph is the arrow of a trend.
func trendGlyph(t string) string {
	if t == "up" {
		return "↑"
	}
	return "↓"
}

// DayChartProps is a drill-down skill's day as four small charts sharing a time
// axis (midnight to midnight), each with its threshold bands shaded.
type DayChartProps struct {
	ID, Heading string
	// Span says which day and until when ("Mon 2 Mar, until 14:35").
	Span string
	// Note replaces the charts ("History unavailable: …").
	Note   string
	Panels []DayPanelProps
	// Ticks label the time axis, evenly spaced from 0:00 to 24:00.
	Ticks []string
	W, H  string
}

// DayPanelProps is one figure's chart.
type DayPanelProps struct {
	Metric, Label string
	// Summary is the latest value, shown beside the label.
	Summary string
	// Title and Desc are the chart's accessible name and description.
	Title, Desc string
	Path        string
	Top         string
	Bands       []Band
}

// Band is a shaded threshold band: Class "warn" or "crit", Y and H in viewBox units.
type Band struct{ Class, Y, H string }
