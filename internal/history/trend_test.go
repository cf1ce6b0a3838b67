package history_test

import (
	"context"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

// SkillMinutes gives each minute's last recorded skills, exactly, both from the
// in-memory ring (the last 90 minutes, what sparklines ask for) and from the store
// (older ranges, and a fresh History after a restart).
func TestSkillMinutesFromRingAndStore(t *testing.T) {
	ctx := context.Background()
	st := newMem(t)
	h := history.New(st, history.Config{})
	f := storetest.NewFloor(6, 20, time.Date(2026, 3, 2, 9, 0, 5, 0, time.UTC), 7)
	lastOf := map[time.Time][]snapshot.Skill{} // minute → its last snapshot's skills
	rec := func(s *snapshot.Snapshot) {
		h.RecordNow(ctx, s)
		lastOf[s.TakenAt.Truncate(time.Minute)] = s.Skills
	}
	rec(f.Snapshot())
	for range 6 * 150 { // 150 minutes of 10 s polls
		rec(f.Step(10 * time.Second))
	}
	now := f.Snapshot().TakenAt
	end := now.Truncate(time.Minute)
	keys := []string{f.Snapshot().Skills[1].Key, f.Snapshot().Skills[3].Key}

	check := func(name string, h *history.History, from time.Time, wantN int) {
		t.Helper()
		got, err := h.SkillMinutes(ctx, from, end, keys)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != wantN {
			t.Fatalf("%s: %d minutes, want %d", name, len(got), wantN)
		}
		for _, m := range got {
			want := map[string]snapshot.Skill{}
			for _, sk := range lastOf[m.At] {
				want[sk.Key] = sk
			}
			if len(m.Skills) != len(keys) {
				t.Fatalf("%s %s: %d skills, want %d", name, m.At, len(m.Skills), len(keys))
			}
			for _, sk := range m.Skills {
				if g, w := skillsJSON(t, sk), skillsJSON(t, want[sk.Key]); g != w {
					t.Fatalf("%s %s skill %s:\n got %s\nwant %s", name, m.At.Format("15:04"), sk.Key, g, w)
				}
			}
		}
	}
	check("ring, last hour", h, end.Add(-time.Hour), 60)
	check("store, two hours", h, end.Add(-2*time.Hour), 120)
	// After a restart nothing is in memory: the same minutes come from the store.
	check("restarted", history.New(st, history.Config{}), end.Add(-time.Hour), 60)

	// The minute being gathered is included when it starts before to.
	got, err := h.SkillMinutes(ctx, end, end.Add(time.Minute), nil)
	if err != nil || len(got) != 1 || len(got[0].Skills) != 6 {
		t.Fatalf("open minute: %d minutes, %v", len(got), err)
	}
	if g, w := skillsJSON(t, got[0].Skills...), skillsJSON(t, f.Snapshot().Skills...); g != w {
		t.Errorf("open minute:\n got %s\nwant %s", g, w)
	}
}

func skillsJSON(t *testing.T, sk ...snapshot.Skill) string {
	t.Helper()
	return storetest.JSON(t, &snapshot.Snapshot{Skills: sk})
}
