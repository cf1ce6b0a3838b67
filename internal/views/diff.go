package views

import (
	"bytes"
	"strconv"
	"time"
)

// Diff returns what must be sent to turn a page showing prev into one showing next:
// elements that changed or are new, containers whose shape changed (re-sent whole,
// everything inside them with them), and removed elements as Tiles with empty HTML.
// A container whose shape is unchanged is not sent; only the children that changed
// go out, so a changed figure costs one small element. Order is next's page order,
// removals last. Diff(Tileset{}, next) is the full set.
func Diff(prev, next Tileset) []Tile {
	var out []Tile
	sent := map[string]bool{} // elements sent whole, and so everything inside them
	for _, t := range next.tiles {
		if p, child := next.parent[t.ID]; child && sent[p] {
			sent[t.ID] = true // already inside the re-sent container
			continue
		}
		if !changed(prev, next, t) {
			continue
		}
		sent[t.ID] = true
		out = append(out, t)
	}
	for _, t := range prev.tiles {
		if containsID(next, t.ID) {
			continue
		}
		// A child leaves with its container: either the container was re-sent
		// without it, or the container is removed too.
		if p, child := prev.parent[t.ID]; child && (sent[p] || !containsID(next, p)) {
			continue
		}
		out = append(out, Tile{ID: t.ID})
	}
	return out
}

// changed tells whether t, an element of next, must be sent whole: it is new, its
// shape (for a container) or its bytes (for a leaf) differ, or it turned from one
// into the other.
func changed(prev, next Tileset, t Tile) bool {
	shape, isContainer := next.shape[t.ID]
	prevShape, wasContainer := prev.shape[t.ID]
	if isContainer || wasContainer {
		return isContainer != wasContainer || shape != prevShape
	}
	old, ok := prev.Get(t.ID)
	return !ok || !bytes.Equal(old.HTML, t.HTML)
}

func containsID(ts Tileset, id string) bool { _, ok := ts.index[id]; return ok }

// clockID is the element each message replaces to carry the server's clock.
const clockID = "srv-clock"

// Message builds one WebSocket text message: every tile marked for out-of-band swap
// by id (removed tiles as delete swaps), then the server-clock element the page uses
// to correct its clock. The htmx ws extension swaps each top-level element.
func Message(tiles []Tile, serverNow time.Time) []byte {
	n := 96
	for _, t := range tiles {
		n += len(t.HTML) + 64
	}
	b := make([]byte, 0, n)
	for _, t := range tiles {
		if len(t.HTML) == 0 {
			b = append(b, `<div id="`...)
			b = append(b, t.ID...) // ids are generated from [a-z0-9_-] only
			b = append(b, `" hx-swap-oob="delete"></div>`...)
			continue
		}
		b = appendOOB(b, t.HTML)
	}
	b = append(b, `<div id="`+clockID+`" data-now="`...)
	b = strconv.AppendInt(b, serverNow.UnixMilli(), 10)
	b = append(b, `" hidden hx-swap-oob="true"></div>`...)
	return b
}

// appendOOB appends html with hx-swap-oob="true" added to its root element's tag.
func appendOOB(b, html []byte) []byte {
	// The root tag name ends at the first space or '>' after '<'.
	i := bytes.IndexAny(html, " >")
	if len(html) == 0 || html[0] != '<' || i < 0 {
		return append(b, html...)
	}
	b = append(b, html[:i]...)
	b = append(b, ` hx-swap-oob="true"`...)
	return append(b, html[i:]...)
}
