package templates

import "strconv"

// levelClass is the CSS hook for a level; figures without thresholds get none.
func levelClass(l Level) string {
	if l == LevelNone {
		return "fig"
	}
	return "fig lvl-" + string(l)
}

// lvlOnly is the level's CSS hook alone, for rows and notes that are not figures.
func lvlOnly(l Level) string {
	if l == LevelNone {
		return ""
	}
	return "lvl-" + string(l)
}

// bodyClass is the wall page's body classes: audience, size class, theme.
func bodyClass(p PageProps) string {
	c := "aud-" + string(p.Audience)
	if p.Size != "" {
		c += " sz-" + p.Size
	}
	if p.Theme != "" {
		c += " theme-" + p.Theme
	}
	return c
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
	c := "tile " + base
	if m.Stale {
		c += " stale"
	}
	if m.Dim {
		c += " dim"
	}
	return c
}

func itoa(n int) string { return strconv.Itoa(n) }
