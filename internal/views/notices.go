package views

import (
	"context"
	"math"
	"unicode/utf8"

	"github.com/ccdash/ccdash/internal/announce"
	"github.com/ccdash/ccdash/web/templates"
)

// The announcement tiles. Like the alert banner they are not configurable tile kinds:
// every wall carries its urgent band and ticker, every manager board its list.
const (
	kindUrgent  TileKind = "urgent"
	kindTicker  TileKind = "ticker"
	kindNotices TileKind = "notices"
)

// Notices is what the announcement tiles of one variant show: the active
// announcements of its board (announce.Feed.Active) and, on the manager board,
// whether the viewer may withdraw them.
type Notices struct {
	Items       []announce.Announcement
	CanWithdraw bool
}

// AddNotices renders the announcement tiles of v into ts: on a wall the urgent band
// and the ticker, on the manager board the list. Embeds carry none.
func (ts *Tileset) AddNotices(ctx context.Context, v Variant, n Notices) error {
	switch v.Audience {
	case Wall:
		for _, b := range wallBands(v, n.Items) {
			html, err := render(ctx, templates.NoticeBand(b), 256)
			if err != nil {
				return err
			}
			ts.add(b.ID, html, "")
			ts.kinds[bandKind(b.Level)] = b.ID
		}
	case Manager:
		p := templates.NoticeListProps{}
		for _, a := range n.Items {
			it := noticeItem(a)
			if n.CanWithdraw {
				it.WithdrawAction = "/boards/" + v.Board.ID + "/announcements/" + a.ID + "/withdraw"
			}
			p.Items = append(p.Items, it)
		}
		html, err := render(ctx, templates.NoticeList(p), 256)
		if err != nil {
			return err
		}
		ts.add("tile-notices", html, "")
		ts.kinds[kindNotices] = "tile-notices"
	}
	return nil
}

func bandKind(level string) TileKind {
	if level == string(announce.Urgent) {
		return kindUrgent
	}
	return kindTicker
}

func noticeItem(a announce.Announcement) templates.NoticeItem {
	return templates.NoticeItem{ID: a.ID, Text: a.Text, Level: string(a.Level), By: a.By, UntilMS: msString(a.ExpiresAt)}
}

// wallBands are the urgent band and the ticker of a wall, each sized for its longest
// text at the wall's size class (both always present, hidden when empty, so a post
// swaps them in place).
func wallBands(v Variant, items []announce.Announcement) []templates.NoticeBandProps {
	urgent := templates.NoticeBandProps{ID: "tile-urgent", Level: string(announce.Urgent), TestID: "announce-urgent", Label: "Urgent announcement"}
	ticker := templates.NoticeBandProps{ID: "tile-ticker", Level: string(announce.Info), TestID: "announce-ticker", Label: "Announcements"}
	for _, a := range items {
		b := &ticker
		if a.Level == announce.Urgent {
			b = &urgent
		}
		b.Items = append(b.Items, noticeItem(a))
		b.Lines = max(b.Lines, textLines(v.size(), a.Text, bandFont(a.Level)))
	}
	return []templates.NoticeBandProps{urgent, ticker}
}

// Type sizes of the wall's bands in rem, and line heights; wall.css must match.
const (
	urgentFontRem = 1.6
	tickerFontRem = 1.4
	alertFontRem  = 1.6
	bandLineH     = 1.3
	bandPadRem    = 1.2 // padding and border, top and bottom
	alertGapRem   = 0.4 // between two lines of the alert banner
	bandGapRem    = 0.6 // the wall's flex gap before each band
	// charRem is an average character's width in em, generous for bold text and
	// for words that wrap early.
	charRem = 0.62
	// wallAlertRows is how many lines the alert banner takes on a wall at most: one
	// alert and the summary of the rest, or two alerts.
	wallAlertRows = 2
)

func bandFont(l announce.Level) float64 {
	if l == announce.Urgent {
		return urgentFontRem
	}
	return tickerFontRem
}

// textWidthRem is the text width of a band on each size class's reference screen,
// in rem of that screen (wall.css's root size), less the page's and band's padding.
var textWidthRem = map[Size]float64{
	SizeHD:       1920/16.0 - 4,
	SizeSD:       1366/14.0 - 4,
	SizeUHD:      3840/26.0 - 4,
	SizePortrait: 1080/14.0 - 4,
}

// textLines is how many lines text takes in a band of font size fontRem (at least 1).
func textLines(s Size, text string, fontRem float64) int {
	perLine := math.Floor(textWidthRem[s] / (fontRem * charRem))
	return max(1, int(math.Ceil(float64(utf8.RuneCountInString(text))/perLine)))
}

// bandRem is the height one band of lines takes on the wall, its gap included.
func bandRem(lines int, fontRem float64) float64 {
	if lines == 0 {
		return 0
	}
	return float64(lines)*fontRem*bandLineH + bandPadRem + bandGapRem
}

// WallReserve is the height in rem the alert banner and announcement bands take from
// a wall's tiles: the layout gives up agent rows (and skill rows) to make room, so the
// wall still fits its screen without scrolling. Zero off the wall.
func WallReserve(v Variant, alerts *AlertState, n Notices) float64 {
	if v.Audience != Wall {
		return 0
	}
	var rem float64
	if alerts != nil {
		if n := min(len(alerts.Alerts), wallAlertRows); n > 0 {
			rem += bandRem(n, alertFontRem) + float64(n-1)*alertGapRem
		}
	}
	for _, b := range wallBands(v, n.Items) {
		rem += bandRem(b.Lines, bandFont(announce.Level(b.Level)))
	}
	return rem
}
