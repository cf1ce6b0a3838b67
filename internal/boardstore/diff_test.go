package boardstore

import "testing"

func TestSummary(t *testing.T) {
	old := "id: sales\ntitle: Sales\nthresholds:\n  waiting_warn: 5\ntiles: [queue, skills]\n"
	for _, tc := range []struct{ name, old, new, want string }{
		{"edit", old, "id: sales\ntitle: Sales floor\nthresholds:\n  waiting_warn: 8\ntiles: [queue]\n",
			"thresholds.waiting_warn: 5 → 8; tiles: [queue, skills] → [queue]; title: Sales → Sales floor"},
		{"create", "", "id: x\ntitle: X\n", "id: x; title: X"},
		{"removed key", old, "id: sales\ntitle: Sales\ntiles: [queue, skills]\n", "thresholds.waiting_warn: 5 → (none)"},
		{"same", old, old, "no change"},
		{"not yaml", "a: [", "b: [", "changed"},
	} {
		if got := Summary(tc.old, tc.new); got != tc.want {
			t.Errorf("%s: Summary = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func FuzzSummary(f *testing.F) {
	f.Add("id: a\ntitle: A\n", "id: a\nthresholds: {waiting_warn: 3}\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		if s := Summary(a, b); len(s) > maxSummary+len("…") {
			t.Fatalf("summary of %d bytes", len(s))
		}
	})
}
