package views

import (
	"fmt"
	"net/url"
	"slices"
)

// Size is the size class of the screen a wall page is shown on. Wall pages report
// theirs in ?size= (app.js measures the viewport and reloads once with it), so the
// size class is part of the variant: every screen of one class shares one render,
// and the server decides what fits — how many skill tiles and agent rows — instead
// of the page shrinking its type. Manager and embed pages flow and scroll, so their
// variants never carry a size.
type Size string

// Size classes. The page picks one from its viewport in CSS px (app.js sizeClass):
// portrait when taller than wide, else by width.
const (
	SizeHD       Size = "hd"       // landscape 1600–2559 px wide: 1080p TVs (the default)
	SizeSD       Size = "sd"       // landscape under 1600 px: 1366×768, 1280×720
	SizeUHD      Size = "uhd"      // landscape 2560 px and wider: 1440p, 4K
	SizePortrait Size = "portrait" // a TV turned on its side: 1080×1920, 2160×3840
)

var sizes = []Size{SizeHD, SizeSD, SizeUHD, SizePortrait}

// wallLayout is what fits on a wall of one size class at the type sizes app.css
// gives it: the skills grid in columns × rows of cells (a two-channel skill takes
// two cells, one above the other) and the number of agent rows.
type wallLayout struct {
	cols, rows int
	agentRows  int
	// With banners shown (Variant.Reserve) the rows that still fit are kept. The
	// heights are measured on the size's reference screen with the large floor, in
	// rem of that screen: gridRem is the skills grid's height, cellRem a row of
	// single-channel skill tiles with its gap; agentsRem is the agent list's room for
	// rows, agentRowRem one row. Zero gridRem: the grid has its own height and the agent
	// list takes the rest (portrait), so the grid gives up rows for the list instead.
	gridRem, cellRem       float64
	agentsRem, agentRowRem float64
}

// gridGapRem is the gap between two rows of skill tiles (wall.css).
const gridGapRem = 0.6

// wallLayouts must match app.css (.aud-wall.sz-*): the browser tests prove at each
// class's reference screen that this many cells and rows fit without scrolling and
// with every text at full size.
var wallLayouts = map[Size]wallLayout{
	SizeHD:       {cols: 3, rows: 4, agentRows: 22, gridRem: 37.6, cellRem: 8.3, agentsRem: 39.3, agentRowRem: 1.65},
	SizeSD:       {cols: 2, rows: 3, agentRows: 15, gridRem: 22.6, cellRem: 7.2, agentsRem: 28.1, agentRowRem: 1.65},
	SizeUHD:      {cols: 4, rows: 6, agentRows: 32, gridRem: 54.9, cellRem: 9.5, agentsRem: 55, agentRowRem: 1.6},
	SizePortrait: {cols: 2, rows: 6, agentRows: 15, cellRem: 7, agentsRem: 28, agentRowRem: 1.65},
}

// ParseSize reads ?size= strictly: absent means SizeHD, anything else must be a
// known class (wrapped ErrBadQuery otherwise).
func ParseSize(q url.Values) (Size, error) {
	vs := q["size"]
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", fmt.Errorf("%w: size given %d times", ErrBadQuery, len(vs))
	case !slices.Contains(sizes, Size(vs[0])):
		return "", fmt.Errorf("%w: unknown size %q (want hd, sd, uhd or portrait)", ErrBadQuery, vs[0])
	}
	return Size(vs[0]), nil
}

// size is the variant's size class with the default applied; "" off the wall.
func (v Variant) size() Size {
	switch {
	case v.Audience != Wall:
		return ""
	case v.Size == "":
		return SizeHD
	}
	return v.Size
}

// layout is the variant's wall layout less what its banners take (Reserve): the
// skill rows and agent rows that still fit the heights left.
func (v Variant) layout() wallLayout {
	l := wallLayouts[v.size()]
	if v.Reserve <= 0 {
		return l
	}
	room := l.agentsRem - v.Reserve
	if l.gridRem > 0 {
		l.rows = max(1, min(l.rows, int((l.gridRem-v.Reserve+gridGapRem)/l.cellRem)))
	} else {
		// Stacked (portrait): the agent list has the rest of the height; the grid
		// gives it rows until it lists minAgentRows again.
		for room < minAgentRows*l.agentRowRem && l.rows > 1 {
			l.rows--
			room += l.cellRem
		}
	}
	l.agentRows = max(2, min(l.agentRows, int(room/l.agentRowRem)))
	return l
}

// minAgentRows is how many agent rows a stacked wall keeps by giving up skill rows.
const minAgentRows = 8

// placeTiles decides which skill tiles fit a wall grid of cols × rows cells, the
// way the browser will place them: app.css orders tiles by severity (CSS order)
// and packs them with grid-auto-flow: row dense, a two-channel tile spanning two
// rows. Walking tiles in that order, each goes to the first free cell (row-major)
// where it fits; one that fits nowhere is left off. When any is left off, the last
// cell is kept for the "+N more skills" note (placed there explicitly by CSS) and
// the placement is redone without it. tall[i] says tile i spans two rows; the
// result lists the indexes shown, in the given order.
func placeTiles(tall []bool, cols, rows int) (shown []int, more bool) {
	if shown = place(tall, cols, rows, false); len(shown) == len(tall) {
		return shown, false
	}
	return place(tall, cols, rows, true), true
}

// place is one pass of placeTiles, with or without the last cell kept free.
func place(tall []bool, cols, rows int, reserveLast bool) []int {
	used := make([]bool, cols*rows)
	if reserveLast && len(used) > 0 {
		used[len(used)-1] = true
	}
	var out []int
	for i, t := range tall {
		h := 1
		if t {
			h = 2
		}
		for cell := range used {
			if cell/cols+h > rows || used[cell] || h == 2 && used[cell+cols] {
				continue
			}
			used[cell] = true
			if h == 2 {
				used[cell+cols] = true
			}
			out = append(out, i)
			break
		}
	}
	return out
}
