package history

import (
	"math"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func sample() *snapshot.Snapshot {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return &snapshot.Snapshot{Version: 7, TakenAt: at,
		Sources: []snapshot.SourceStatus{{ID: "lp", Kind: "liveperson", LastSuccess: at,
			LastError: &snapshot.SourceError{Kind: snapshot.ErrServer, Text: "503 from x", At: at}}},
		Skills: []snapshot.Skill{{Key: "lp:1", ID: "1", Source: "lp", Name: "Sales",
			Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some[int64](3), ServiceLevel: snapshot.Some(1.0 / 3)}}}},
		Agents: []snapshot.Agent{{Key: "lp:a", ID: "a", Source: "lp", Name: "Ann", State: snapshot.Away, Reason: "Lunch",
			Since: at, Load: snapshot.Some(2.0 / 3), Skills: []string{"lp:1"}}},
	}
}

// Ratios are kept to a millionth, durations to the millisecond.
func TestRatioPrecision(t *testing.T) {
	e := newEncoder(rawWindow, true)
	s := sample()
	var c chain
	if _, err := c.apply(e.encode(nil, s, s.TakenAt)); err != nil || !c.ok {
		t.Fatalf("apply keyframe: %v", err)
	}
	got := c.snapshot()
	sl, _ := got.Skills[0].Queues[0].ServiceLevel.Get()
	load, _ := got.Agents[0].Load.Get()
	if math.Abs(sl-1.0/3) > 1e-6 || math.Abs(load-2.0/3) > 1e-6 {
		t.Errorf("service level %v, load %v: want 1/3 and 2/3 within 1e-6", sl, load)
	}
	if got.Agents[0].Reason != "Lunch" || got.Sources[0].LastError.Text != "503 from x" {
		t.Errorf("strings lost: %+v %+v", got.Agents[0], got.Sources[0].LastError)
	}
}

// FuzzChainApply feeds damaged frames after a good keyframe: decoding fails or
// succeeds, never panics, and a snapshot can always be built from an ok chain.
func FuzzChainApply(f *testing.F) {
	e := newEncoder(rawWindow, true)
	s := sample()
	key := e.encode(nil, s, s.TakenAt)
	s2 := *s
	s2.Version, s2.TakenAt = 8, s.TakenAt.Add(10*time.Second)
	s2.Agents = []snapshot.Agent{s.Agents[0]}
	s2.Agents[0].State, s2.Agents[0].Reason = snapshot.Busy, "New reason"
	delta := e.encode(nil, &s2, s2.TakenAt)
	f.Add(key)
	f.Add(delta)
	f.Add([]byte{kindDelta, 3, 0, 1, 0})
	f.Fuzz(func(t *testing.T, frame []byte) {
		var c chain
		if _, err := c.apply(key); err != nil {
			t.Fatal(err)
		}
		_, _ = c.apply(frame)
		if c.ok {
			_ = c.snapshot()
		}
		_ = decodeChanges(time.Time{}, frame, func(Change) {})
		_, _, _ = aggBounds(frame, c.lay, 2, 0)
	})
}
