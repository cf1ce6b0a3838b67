package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/alerts"
	"github.com/ccdash/ccdash/internal/announce"
)

// TestWallReserveShrinksTheLayout: banners take rows from a wall's layout (never
// from the manager board), more for longer texts, and the wall's alert banner keeps
// to two lines whatever the number of alerts.
func TestWallReserveShrinksTheLayout(t *testing.T) {
	exp := time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC)
	short := []announce.Announcement{{ID: "an_1", Text: "Huddle at 3", Level: announce.Info, ExpiresAt: exp}}
	long := []announce.Announcement{
		{ID: "an_2", Text: strings.Repeat("word ", 56), Level: announce.Urgent, ExpiresAt: exp},
		{ID: "an_3", Text: strings.Repeat("word ", 56), Level: announce.Info, ExpiresAt: exp},
	}
	var many AlertState
	for i := range 25 {
		many.Alerts = append(many.Alerts, alerts.Alert{ID: "floor/r/" + string(rune('a'+i)), Level: alerts.Warn, Status: alerts.Raised})
	}
	wall := Variant{Board: DefaultBoard(), Audience: Wall, Size: SizeHD}
	base := wall.layout()
	shortR, longR := WallReserve(wall, nil, Notices{Items: short}), WallReserve(wall, &many, Notices{Items: long})
	if shortR <= 0 || longR <= shortR {
		t.Fatalf("reserves: short ticker %.1f rem, all banners %.1f rem; want 0 < short < all", shortR, longR)
	}
	wall.Reserve = longR
	if l := wall.layout(); l.rows >= base.rows || l.agentRows >= base.agentRows || l.rows < 1 || l.agentRows < 2 {
		t.Errorf("layout with every banner: %d skill rows, %d agent rows (without: %d, %d)", l.rows, l.agentRows, base.rows, base.agentRows)
	}
	if r := WallReserve(Variant{Board: DefaultBoard(), Audience: Manager}, &many, Notices{Items: long}); r != 0 {
		t.Errorf("manager board reserve = %.1f, want 0 (it scrolls)", r)
	}

	var ts Tileset
	ts.add("x", nil, "")
	if err := ts.AddAlerts(context.Background(), Variant{Board: DefaultBoard(), Audience: Wall}, many); err != nil {
		t.Fatal(err)
	}
	html, _ := ts.Get(alertsID)
	if n := strings.Count(string(html.HTML), `data-testid="alert"`); n != wallAlertRows-1 || !strings.Contains(string(html.HTML), "+24 more alerts: 24 ▲ WARN") {
		t.Errorf("wall banner with 25 alerts shows %d alerts: %.400s", n, html.HTML)
	}
}
