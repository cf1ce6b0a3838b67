package comm100

import (
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestComm100LinearChatTimeContract: the documented realTime/Agents example's
// intradayLinearChatTime (.NET TimeSpan text) becomes each agent's chat time today
// (Activity.Chatting), with the day's start and window.
func TestComm100LinearChatTimeContract(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/comm100-v4_realtime-agents_2.json")
	if err != nil {
		t.Fatal(err)
	}
	page, err := parseComm100Agents(body)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 12, 6, 0, 0, 0, time.UTC)
	now := start.Add(8 * time.Hour)
	out := make([]snapshot.Agent, len(page.Agents))
	for i, a := range page.Agents {
		out[i] = snapshot.Agent{ID: a.ID}
	}
	dayActivity(out, page.Agents, start, now)
	want := []time.Duration{6*time.Hour + 53*time.Minute + 57*time.Second + 50*time.Millisecond,
		20*time.Minute + 38*time.Second + 264999900*time.Nanosecond, 0}
	for i, w := range want {
		act := out[i].Activity
		if act == nil {
			t.Fatalf("agent %s has no activity", out[i].ID)
		}
		if got, ok := act.Chatting.Get(); !ok || got != w || !act.Since.Equal(start) || act.Window != 8*time.Hour {
			t.Errorf("agent %s chatting %v (%v) since %v window %v, want %v since %v window 8h", out[i].ID, got, ok, act.Since, act.Window, w, start)
		}
	}
}

// TestComm100DayQuery: the day parameters are the reset and now as wall times in
// the day's zone, with its offset in minutes.
func TestComm100DayQuery(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 7, 1, 6, 0, 0, 0, berlin)
	got := dayQuery(start, time.Date(2025, 7, 1, 8, 30, 15, 0, time.UTC))
	want := url.Values{"utcOffset": {"120"}, "startTime": {"2025-07-01T06:00:00"}, "endTime": {"2025-07-01T10:30:15"}}
	if got.Encode() != want.Encode() {
		t.Errorf("dayQuery = %s, want %s", got.Encode(), want.Encode())
	}
}
