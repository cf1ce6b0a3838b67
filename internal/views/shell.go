package views

import (
	"fmt"
	"hash/fnv"
	"strconv"
)

// shellID is the element that carries a page's shell revision (ShellRev); app.js
// fetches the page again and swaps its body in place when a message brings another.
const shellID = "srv-shell"

// ShellRev fingerprints what a page of v shows outside its tiles — title, tile list
// (the layout), theme, accent, logo, audience, size — and hasAlerts (whether it
// carries an alert banner). Two variants with equal revs lay their pages out alike,
// so new tiles swap into place; a changed rev means the page must be re-rendered,
// which the page does by itself without closing its socket. Thresholds, skills and
// order live inside tiles and do not count.
func ShellRev(v Variant, hasAlerts bool) string {
	b := v.Board
	b.Thresholds, b.AgentThresholds, b.Skills, b.Order = Thresholds{}, AgentThresholds{}, nil, ""
	h := fnv.New64a()
	fmt.Fprintf(h, "%#v|%s|%s|%s|%v", b, v.Audience, v.Skill, v.size(), hasAlerts)
	return strconv.FormatUint(h.Sum64(), 36)
}

// WithShell appends the shell revision element to msg (a Message), so a page knows
// whether its layout is still the one the server renders. A full state carries it
// (the page may be older than the server's layout); a diff only when the revision
// changes, since the page keeps the element it last got.
func WithShell(msg []byte, rev string) []byte {
	msg = append(msg, `<div id="`+shellID+`" data-rev="`...)
	msg = append(msg, rev...) // base-36 digits only
	return append(msg, `" hidden></div>`...)
}
