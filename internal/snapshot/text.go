package snapshot

import (
	"strings"
	"unicode"
)

// MaxTextRunes caps a vendor string (a skill or agent name, an away reason): the page
// and every tile must not grow with whatever a vendor put in a name.
const MaxTextRunes = 200

// CleanText makes a vendor string safe to show: invalid UTF-8 becomes U+FFFD; bidi
// embedding, override and isolate controls and zero-width characters are removed (they
// reorder or hide what is displayed: "\u202Egnp.exe" reads as "exe.png"); other
// control characters become spaces; runs of white space collapse to one; the result
// is trimmed and cut to MaxTextRunes runes, the last one "…" when cut. It is a pure
// function and idempotent.
func CleanText(s string) string { return CleanTextLimit(s, MaxTextRunes) }

// CleanTextLimit is CleanText cutting at limit runes instead of MaxTextRunes (text
// people post, such as announcements, has limits of its own).
func CleanTextLimit(s string, limit int) string {
	if s == "" || limit < 1 {
		return ""
	}
	out := make([]rune, 0, min(len(s), limit+1))
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case hiddenRune(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = len(out) > 0
			continue
		}
		if space {
			out, space = append(out, ' '), false
		}
		if out = append(out, r); len(out) > limit {
			break
		}
	}
	if len(out) > limit {
		out = out[:limit-1]
		for len(out) > 0 && out[len(out)-1] == ' ' {
			out = out[:len(out)-1]
		}
		out = append(out, '…')
	}
	return string(out)
}

// hiddenRune reports the bidi controls (LRM, RLM, ALM, LRE…RLO, LRI…PDI) and
// zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) that CleanText removes.
func hiddenRune(r rune) bool {
	switch {
	case r == 0x200E || r == 0x200F || r == 0x061C:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// CleanPart returns p with every vendor display string (skill names, agent names,
// away reasons, activity reasons) passed through CleanText. The poller applies it once to each good
// Part, so nothing downstream sees a raw vendor string. p's slices are copied, not
// changed.
func CleanPart(p Part) Part {
	p.Skills = append([]Skill(nil), p.Skills...)
	for i := range p.Skills {
		p.Skills[i].Name = CleanText(p.Skills[i].Name)
	}
	p.Agents = append([]Agent(nil), p.Agents...)
	for i := range p.Agents {
		p.Agents[i].Name = CleanText(p.Agents[i].Name)
		p.Agents[i].Reason = CleanText(p.Agents[i].Reason)
		if act := p.Agents[i].Activity; act != nil && len(act.AwayReasons) > 0 {
			c := *act
			c.AwayReasons = append([]ReasonTime(nil), act.AwayReasons...)
			for j := range c.AwayReasons {
				c.AwayReasons[j].Reason = CleanText(c.AwayReasons[j].Reason)
			}
			p.Agents[i].Activity = &c
		}
	}
	return p
}
