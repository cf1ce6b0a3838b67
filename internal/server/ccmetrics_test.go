package server

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestContactCenterMetrics(t *testing.T) {
	t.Parallel()
	snap := liveSnap(1, 4)
	snap.Skills[0].Queues[0].ServiceLevel = snapshot.Some(0.85)
	snap.Skills[0].Queues[0].LongestWait = snapshot.Some(95 * time.Second)
	snap.Skills[0].Agents = snapshot.StateCounts{Available: 2, Busy: 1}
	snap.Accounts = []snapshot.Account{{Source: "comm100", Today: snapshot.Today{Chats: snapshot.Some[int64](120)},
		RightNow: snapshot.RightNow{Utilization: snapshot.Some(0.5)}}}
	st := snapshot.NewStore()
	st.Publish(snap)
	srv := New(Options{Store: st, Now: func() time.Time { return testNow.Add(5 * time.Second) }})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	code, body := get(t, ts.URL+"/metrics/contact-center")
	if code != 200 {
		t.Fatalf("got %d", code)
	}
	for _, want := range []string{
		`ccdash_cc_waiting{channel="chat",skill="comm100:a",skill_name="Sales",source="comm100"} 4`,
		`ccdash_cc_waiting{channel="chat",skill="comm100:b",skill_name="Support",source="comm100"} 1`,
		`ccdash_cc_service_level_ratio{channel="chat",skill="comm100:a",skill_name="Sales",source="comm100"} 0.85`,
		`ccdash_cc_longest_wait_seconds{channel="chat",skill="comm100:a",skill_name="Sales",source="comm100"} 95`,
		`ccdash_cc_agents{skill="comm100:a",skill_name="Sales",source="comm100",state="available"} 2`,
		`ccdash_cc_agents{skill="comm100:a",skill_name="Sales",source="comm100",state="busy"} 1`,
		`ccdash_cc_account_today_chats{source="comm100"} 120`,
		`ccdash_cc_account_right_now_utilization_ratio{source="comm100"} 0.5`,
		`ccdash_cc_snapshot_age_seconds 5`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("missing %s", want)
		}
	}
	// Unknown stays unknown: Support has no service level, so it exports none.
	if strings.Contains(body, `ccdash_cc_service_level_ratio{channel="chat",skill="comm100:b"`) {
		t.Error("an unknown service level was exported")
	}
	// Labels follow the snapshot: a skill that goes away is no longer exported.
	next := liveSnap(2, 4)
	next.Skills = next.Skills[:1]
	st.Publish(next)
	if _, body := get(t, ts.URL+"/metrics/contact-center"); strings.Contains(body, "comm100:b") {
		t.Error("a skill gone from the snapshot is still exported")
	}
}
