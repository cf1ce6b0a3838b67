package snapshot

import (
	"encoding/json"
	"testing"
	"time"
)

func TestOptJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"unknown count is null", None[int64](), "null"},
		{"zero is zero, not null", Some[int64](0), "0"},
		{"duration in seconds", Some(1500 * time.Millisecond), "1.5"},
		{"negative vendor count is unknown", Count(-1), "null"},
		{"millis", Millis(2500), "2.5"},
		{"seconds", Seconds(-1), "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestOptRoundTrip(t *testing.T) {
	t.Parallel()
	in := Queue{Channel: Chat, Waiting: Some[int64](3), LongestWait: Some(90 * time.Second), AbandonRate: None[float64]()}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Queue
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Waiting != in.Waiting || out.LongestWait != in.LongestWait || out.AbandonRate.Known() {
		t.Errorf("got %+v, want %+v", out, in)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	parts := []Part{
		{Source: "b", Skills: []Skill{{Key: "b:1", Name: "Sales"}},
			Agents: []Agent{{Key: "b:9", State: Away, Skills: []string{"b:1"}}, {Key: "b:8", State: Busy, Skills: []string{"b:1"}}}},
		{Source: "a", Skills: []Skill{{Key: "a:1", Name: "Support", Agents: StateCounts{Available: 4}}}},
	}
	s := Merge(&Snapshot{Version: 41}, parts, []SourceStatus{{ID: "b"}, {ID: "a"}}, now)
	if s.Version != 42 {
		t.Errorf("version: got %d, want 42", s.Version)
	}
	if s.Skills[0].Key != "a:1" || s.Agents[0].Key != "b:8" || s.Sources[0].ID != "a" {
		t.Errorf("not sorted: %+v", s)
	}
	if got := s.Skills[1].Agents; got != (StateCounts{Busy: 1, Away: 1}) {
		t.Errorf("derived counts: got %+v", got)
	}
	if got := s.Skills[0].Agents; got.Available != 4 {
		t.Errorf("source counts kept: got %+v", got)
	}
	if sk, ok := s.Skill("b:1"); !ok || sk.Name != "Sales" {
		t.Errorf("Skill lookup: got %+v %v", sk, ok)
	}
	if got := len(s.AgentsOf("b:1")); got != 2 {
		t.Errorf("AgentsOf: got %d, want 2", got)
	}
}

func TestServiceLevelFromHistogram(t *testing.T) {
	t.Parallel()
	b := []Bucket{{0, 6}, {15 * time.Second, 2}, {30 * time.Second, 1}, {60 * time.Second, 1}}
	if got, _ := ServiceLevelFromHistogram(b, 30*time.Second).Get(); got != 0.8 {
		t.Errorf("got %v, want 0.8", got)
	}
	if ServiceLevelFromHistogram(nil, time.Second).Known() {
		t.Error("no answered contacts must be unknown")
	}
}

func TestLoadRatio(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]float64{0.133: 0.133, 1.18: 1.18, 20: 0.2, 40: 0.4} {
		if got, _ := LoadRatio(in).Get(); got != want {
			t.Errorf("LoadRatio(%v) = %v, want %v", in, got, want)
		}
	}
	if LoadRatio(-1).Known() {
		t.Error("-1 must be unknown")
	}
}

func TestSourceStale(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ok := SourceStatus{LastSuccess: now.Add(-5 * time.Second)}
	if ok.Stale(now, 30*time.Second) {
		t.Error("fresh source reported stale")
	}
	failing := SourceStatus{LastSuccess: now, ConsecutiveFailures: 1}
	if !failing.Stale(now, time.Minute) {
		t.Error("failing source not stale")
	}
	if !(SourceStatus{}).Stale(now, time.Minute) {
		t.Error("never-polled source not stale")
	}
	old := SourceStatus{LastSuccess: now.Add(-time.Hour)}
	if !old.Stale(now, time.Minute) || old.Age(now) != time.Hour {
		t.Error("old source not stale")
	}
}

func TestStoreChanged(t *testing.T) {
	t.Parallel()
	st := NewStore()
	ch := st.Changed()
	if st.Load() != nil {
		t.Fatal("empty store returned a snapshot")
	}
	st.Publish(&Snapshot{Version: 1})
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("Changed not closed by Publish")
	}
	if st.Load().Version != 1 {
		t.Error("Load after Publish")
	}
}

func TestRestrict(t *testing.T) {
	t.Parallel()
	s := &Snapshot{
		Skills:   []Skill{{Key: "x:a"}, {Key: "x:b"}},
		Agents:   []Agent{{Key: "x:1", Skills: []string{"x:a", "x:b"}}, {Key: "x:2", Skills: []string{"x:b"}}},
		Accounts: []Account{{Source: "x"}},
	}
	if s.Restrict(Scope{}) != s {
		t.Error("unrestricted scope must return the snapshot itself")
	}
	r := s.Restrict(Scope{Skills: []string{"x:a"}})
	if len(r.Skills) != 1 || r.Skills[0].Key != "x:a" {
		t.Errorf("skills: got %+v", r.Skills)
	}
	if len(r.Agents) != 1 || r.Agents[0].Key != "x:1" || len(r.Agents[0].Skills) != 1 {
		t.Errorf("agents: got %+v", r.Agents)
	}
	if len(r.Accounts) != 0 {
		t.Errorf("accounts leak other skills' traffic: %+v", r.Accounts)
	}
	if len(s.Agents[0].Skills) != 2 {
		t.Error("Restrict modified the original snapshot")
	}
	if (Scope{Skills: []string{"b", "a", "a"}}).Key() != "a,b" {
		t.Error("scope key not canonical")
	}
}
