package snapshot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 500)
	tests := []struct{ name, in, want string }{
		{"plain", "Ava Adams", "Ava Adams"},
		{"bidi override", "Invoice \u202Egnp.exe", "Invoice gnp.exe"},
		{"isolates and marks", "\u2067a\u2069\u200Fb\u200E", "ab"},
		{"zero width", "Ad\u200Bmin\u200D\uFEFF", "Admin"},
		{"controls and space runs", " Lunch\t\n\x00 break  ", "Lunch break"},
		{"invalid utf-8", "Ben\xff\xfeChen", "Ben\uFFFDChen"},
		{"cut at 200 runes", long, strings.Repeat("é", 199) + "…"},
		{"exactly 200 kept", strings.Repeat("x", 200), strings.Repeat("x", 200)},
		{"no space before the ellipsis", strings.Repeat("x", 198) + " yz", strings.Repeat("x", 198) + "…"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("%s: CleanText(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// FuzzCleanText: whatever a vendor sends, the result is valid UTF-8, at most
// MaxTextRunes runes, free of bidi and zero-width controls, and cleaning it again
// changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Ava", "\u202Eabc", "a\u200Bb", strings.Repeat("ab ", 150), "\xff", " \t "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := CleanText(in)
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > MaxTextRunes {
			t.Fatalf("CleanText(%q) = %q: invalid or too long", in, out)
		}
		for _, r := range out {
			if hiddenRune(r) {
				t.Fatalf("CleanText(%q) = %q keeps hidden rune %U", in, out, r)
			}
		}
		if again := CleanText(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
	})
}
