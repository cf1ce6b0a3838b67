package history

import (
	"os"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestAgentActivityKept: an agent's day activity (since, logged in, online, back
// soon, away, in chat) is recorded to the minute and comes back, through a keyframe
// and a delta.
func TestAgentActivityKept(t *testing.T) {
	e := newEncoder(rawWindow, true)
	s := sample()
	day := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	s.Agents[0].Activity = &snapshot.Activity{Since: day, LoggedIn: snapshot.Some(3 * time.Hour),
		Online: snapshot.Some(2 * time.Hour), Away: snapshot.Some(time.Hour), BackSoon: snapshot.Some(time.Duration(0)),
		Chatting: snapshot.Some(90 * time.Minute)}
	var c chain
	if _, err := c.apply(e.encode(nil, s, s.TakenAt)); err != nil || !c.ok {
		t.Fatalf("apply keyframe: %v", err)
	}
	s2 := *s
	s2.Version, s2.TakenAt = 8, s.TakenAt.Add(10*time.Second)
	a := s.Agents[0]
	act := *a.Activity
	act.LoggedIn, act.Online = snapshot.Some(3*time.Hour+time.Minute+10*time.Second), snapshot.Some(2*time.Hour+time.Minute)
	a.Activity = &act
	s2.Agents = []snapshot.Agent{a}
	if _, err := c.apply(e.encode(nil, &s2, s2.TakenAt)); err != nil {
		t.Fatalf("apply delta: %v", err)
	}
	got := c.snapshot().Agents[0].Activity
	if got == nil {
		t.Fatal("activity lost")
	}
	if !got.Since.Equal(day) || got.LoggedIn != snapshot.Some(3*time.Hour+time.Minute) || got.Online != act.Online || got.Away != act.Away ||
		got.BackSoon != act.BackSoon || got.Chatting != act.Chatting || !got.Utilisation().Known() {
		t.Errorf("activity = %+v, want %+v", *got, act)
	}
	s3 := s2
	s3.Agents = []snapshot.Agent{s2.Agents[0]}
	s3.Agents[0].Activity = nil
	if _, err := c.apply(e.encode(nil, &s3, s3.TakenAt.Add(10*time.Second))); err != nil {
		t.Fatal(err)
	}
	if got := c.snapshot().Agents[0].Activity; got != nil {
		t.Errorf("an agent without activity decodes with %+v", *got)
	}
}

// TestFramesBeforeActivityDecode: history written before agents' activity was
// recorded (testdata/frames-v1.bin, a keyframe and a delta from that encoder) still
// reads, with the activity unknown.
func TestFramesBeforeActivityDecode(t *testing.T) {
	b, err := os.ReadFile("testdata/frames-v1.bin")
	if err != nil {
		t.Fatal(err)
	}
	var c chain
	for len(b) > 0 {
		if b, err = c.apply(b); err != nil {
			t.Fatalf("apply: %v", err)
		}
	}
	s := c.snapshot()
	if !c.ok || s.Version != 8 || len(s.Agents) != 1 {
		t.Fatalf("snapshot %+v", s)
	}
	if a := s.Agents[0]; a.Reason != "Lunch" || a.State != snapshot.Away || a.Activity != nil {
		t.Errorf("agent = %+v, want away for Lunch without activity", a)
	}
}
