package templates

import "strconv"

// levelClass is the CSS hook for a level; figures without thresholds get none.
func levelClass(l Level) string {
	if l == LevelNone {
		return "fig"
	}
	return "fig lvl-" + string(l)
}

// levelWord is the colour-independent sign of a level: a glyph and a word, so warn
// and critical read the same on a greyscale screen or to colour-blind eyes.
func levelWord(l Level) string {
	switch l {
	case LevelWarn:
		return "▲ WARN"
	case LevelCrit:
		return "◆ CRIT"
	}
	return ""
}

// tileClass joins a tile's classes; "stale" marks data from a failing source.
func tileClass(base string, m TileMeta) string {
	if m.Stale {
		return "tile " + base + " stale"
	}
	return "tile " + base
}

func itoa(n int) string { return strconv.Itoa(n) }
