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
// go out, so a changed figure costs one small element. A list (the agent rows)
// whose frame is unchanged is not re-sent when its rows come, go or move either:
// rows that are new or out of place are inserted after their new predecessor
// (listEdits), the others stay and are replaced only if their bytes changed. Order
// is next's page order, removals last. Diff(Tileset{}, next) is the full set.
func Diff(prev, next Tileset) []Tile {
	var out []Tile
	sent := map[string]bool{} // elements sent whole, and so everything inside them
	for _, t := range next.tiles {
		if sent[t.ID] {
			continue // placed in its list
		}
		if p, child := next.parent[t.ID]; child && sent[p] {
			sent[t.ID] = true // already inside the re-sent container
			continue
		}
		if !changed(prev, next, t) {
			if _, list := next.lists[t.ID]; list {
				out = listEdits(out, prev, next, t, sent)
			}
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

// listEdits appends what turns list l's rows in prev into its rows in next when
// its frame is unchanged. The rows that keep their relative order are the longest
// run of next's rows increasing in prev's order; they stay where they are. Every
// other row of next is new or moved: a moved one is deleted first, then each is
// inserted after its predecessor in next (or at the list's start), in next's
// order, so the predecessor is always already in place. One agent moving in the
// sort costs its row and a delete, never the list; rows gone from next are
// removed by Diff's removal pass.
func listEdits(out []Tile, prev, next Tileset, l Tile, sent map[string]bool) []Tile {
	order := next.lists[l.ID]
	stay := steady(order, prev.index)
	for i, id := range order {
		if stay[id] {
			continue
		}
		if containsID(prev, id) {
			out = append(out, Tile{ID: id})
		}
		t, _ := next.Get(id)
		if i == 0 {
			t.at = "afterbegin:#" + l.ID
		} else {
			t.at = "afterend:#" + order[i-1]
		}
		sent[id] = true
		out = append(out, t)
	}
	return out
}

// steady returns the ids of order that can stay in place: a longest subsequence
// whose positions in the previous set (index; absent ids never stay) increase.
func steady(order []string, index map[string]int) map[string]bool {
	// Patience sorting: tails[k] is the position in order of the smallest
	// previous index ending an increasing run of length k+1; back links the run.
	var tails []int
	back := make([]int, len(order))
	for i, id := range order {
		p, ok := index[id]
		if !ok {
			back[i] = -2
			continue
		}
		lo, hi := 0, len(tails)
		for lo < hi {
			m := (lo + hi) / 2
			if index[order[tails[m]]] < p {
				lo = m + 1
			} else {
				hi = m
			}
		}
		back[i] = -1
		if lo > 0 {
			back[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	stay := make(map[string]bool, len(tails))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = back[i] {
			stay[order[i]] = true
		}
	}
	return stay
}

func containsID(ts Tileset, id string) bool { _, ok := ts.index[id]; return ok }

// clockID is the element each message replaces to carry the server's clock.
const clockID = "srv-clock"

// Message builds one WebSocket text message: every tile for out-of-band swap by id
// (removed tiles as delete swaps, list insertions aimed at their predecessor), then
// the server-clock element the page uses to correct its clock. The htmx ws
// extension swaps each top-level element in order, and one without hx-swap-oob
// replaces the element with its id (outerHTML), so replacements carry no
// attribute: it would be 19 bytes on every element of every message.
//
// htmx parses a message as the content of a <template>, whose first element sets
// the parsing mode: after a <div>, a bare <tr> or <tbody> is dropped. So table
// parts travel inside a <template> of their own, which app.js unwraps before htmx
// swaps it in (htmx:oobBeforeSwap).
func Message(tiles []Tile, serverNow time.Time) []byte {
	n := 96
	for _, t := range tiles {
		n += len(t.HTML) + 64
	}
	b := make([]byte, 0, n)
	for _, t := range tiles {
		switch {
		case len(t.HTML) == 0:
			b = append(b, `<div id="`...)
			b = append(b, t.ID...) // ids are generated from [a-z0-9_-] only
			b = append(b, `" hx-swap-oob="delete"></div>`...)
		case t.at != "":
			b = append(b, `<template hx-swap-oob="`...)
			b = append(b, t.at...)
			b = append(b, `">`...)
			b = append(b, t.HTML...)
			b = append(b, "</template>"...)
		case isTablePart(t.HTML):
			b = append(b, `<template id="`...)
			b = append(b, t.ID...)
			b = append(b, `">`...)
			b = append(b, t.HTML...)
			b = append(b, "</template>"...)
		default:
			b = append(b, t.HTML...)
		}
	}
	b = append(b, `<div id="`+clockID+`" data-now="`...)
	b = strconv.AppendInt(b, serverNow.UnixMilli(), 10)
	return append(b, `" hidden></div>`...)
}

// isTablePart tells whether html's root element parses only inside a table.
func isTablePart(html []byte) bool {
	i := bytes.IndexAny(html, " >")
	if len(html) == 0 || html[0] != '<' || i < 0 {
		return false
	}
	switch string(html[1:i]) {
	case "tr", "tbody", "thead", "td", "th":
		return true
	}
	return false
}
