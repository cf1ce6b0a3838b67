package views

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/skip2/go-qrcode"

	"github.com/ccdash/ccdash/web/templates"
)

// The screens page and the pairing page.
type (
	ScreensPageProps = templates.ScreensPageProps
	ScreenRow        = templates.ScreenRow
	TargetOption     = templates.TargetOption
	PlaylistRow      = templates.PlaylistRow
	PlaylistForm     = templates.PlaylistForm
	PairPageProps    = templates.PairPageProps
)

// ScreensPage is /admin/screens.
func ScreensPage(p ScreensPageProps) templ.Component { return templates.ScreensPage(p) }

// ScreensTable is the live table of /admin/screens alone, for its refresh.
func ScreensTable(p ScreensPageProps) templ.Component { return templates.ScreensTable(p) }

// PairPage is /pair.
func PairPage(p PairPageProps) templ.Component { return templates.PairPage(p) }

// Control commands a screen obeys (app.js): show its name large for 10 s, reload
// itself, or (leading a hub.Move's message) fetch its page now, as it was moved to
// another board.
const (
	ControlIdentify = "identify"
	ControlReload   = "reload"
	ControlSwitch   = "switch"
)

// Control is a message for one screen's socket: it replaces the page's srv-ctl
// element, and app.js acts once per seq. name is the device's name, shown by
// identify (escaped here: it is the admin's text).
func Control(cmd, name string, seq uint64) []byte {
	return []byte(`<div id="srv-ctl" data-cmd="` + cmd + `" data-name="` + html.EscapeString(name) +
		`" data-seq="` + strconv.FormatUint(seq, 10) + `" hidden hx-swap-oob="true"></div>`)
}

// QRCodeSVG draws text as a QR code (medium error correction, with its quiet zone)
// in SVG: one path of dark modules, so it scales to any size without blur.
func QRCodeSVG(text, label string) ([]byte, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("views: QR code: %w", err)
	}
	bm := q.Bitmap()
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s" data-testid="pair-qr">`, n, n, html.EscapeString(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}

// Browser summarises a User-Agent for the screens page ("Chrome 120 · Linux"):
// the operator wants to tell a TV's browser from a laptop's, not the full string.
// It never returns more than 60 characters, whatever the client sent.
func Browser(ua string) string {
	name := ""
	for _, p := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"HeadlessChrome/", "Headless Chrome"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"Firefox/", "Firefox"}, {"Version/", "Safari"},
	} {
		if i := strings.Index(ua, p.token); i >= 0 {
			name = p.name + " " + major(ua[i+len(p.token):])
			break
		}
	}
	osName := ""
	for _, p := range []struct{ token, name string }{
		{"Web0S", "webOS TV"}, {"Tizen", "Tizen TV"}, {"CrOS", "ChromeOS"}, {"Android", "Android"},
		{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, p.token) {
			osName = p.name
			break
		}
	}
	out := strings.TrimSpace(strings.Join(strings.Fields(name+" · "+osName), " "))
	out = strings.Trim(out, " ·")
	if out == "" {
		out = "unknown"
	}
	if len(out) > 60 {
		out = out[:60]
	}
	return out
}

// major is the leading version number of s ("120.0.1" → "120"), at most 6 digits.
func major(s string) string {
	n := 0
	for n < len(s) && n < 6 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}
