package history_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

// Two replicas record the same snapshots (but for three one missed) into one store, only the lease holder
// writing; the lease moves mid-window. Every board reads back exactly from the store,
// so the new writer's first frame was a keyframe, not a delta on a chain it never wrote.
func TestWritesHandOver(t *testing.T) {
	st := newMem(t)
	var aLeads atomic.Bool
	aLeads.Store(true)
	a := history.New(st, history.Config{Writes: aLeads.Load})
	b := history.New(st, history.Config{Writes: func() bool { return !aLeads.Load() }})
	f := storetest.NewFloor(3, 12, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 5)
	ctx := context.Background()
	snaps := []*snapshot.Snapshot{f.Snapshot()}
	for range 40 {
		snaps = append(snaps, f.Step(10*time.Second))
	}
	for i, s := range snaps {
		if i == 17 { // mid-minute and mid keyframe window
			aLeads.Store(false)
		}
		a.RecordNow(ctx, s)
		if i < 14 || i > 16 { // b, a follower then, missed the three before taking over
			b.RecordNow(ctx, s)
		}
	}
	fresh := history.New(st, history.Config{})
	for i, want := range snaps {
		got, err := fresh.At(ctx, want.TakenAt)
		if err != nil {
			t.Fatalf("At(snapshot %d): %v", i, err)
		}
		if g, w := storetest.Figures(t, got), storetest.Figures(t, want); g != w {
			t.Fatalf("At(snapshot %d) after the hand-over:\n got %s\nwant %s", i, g, w)
		}
	}
}
