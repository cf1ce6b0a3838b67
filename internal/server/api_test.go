package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

var testNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func newAPIServer(t *testing.T, snap *snapshot.Snapshot) *httptest.Server {
	t.Helper()
	st := snapshot.NewStore()
	if snap != nil {
		st.Publish(snap)
	}
	ts := httptest.NewServer(New(Options{Store: st, Now: func() time.Time { return testNow }}).Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	fresh := snapshot.SourceStatus{ID: "comm100", LastSuccess: testNow.Add(-5 * time.Second)}
	failing := snapshot.SourceStatus{ID: "lp", LastSuccess: testNow.Add(-time.Minute), ConsecutiveFailures: 3,
		LastError: &snapshot.SourceError{Kind: snapshot.ErrServer, Text: "503 from lp queuehealth"}}
	tests := []struct {
		name     string
		snap     *snapshot.Snapshot
		wantCode int
		wantBody string
	}{
		{"no snapshot", nil, 503, "no snapshot yet"},
		{"all fresh", &snapshot.Snapshot{Version: 3, Sources: []snapshot.SourceStatus{fresh}}, 200, `"ready": true`},
		{"one failing", &snapshot.Snapshot{Version: 3, Sources: []snapshot.SourceStatus{fresh, failing}}, 503, "503 from lp queuehealth"},
		{"replica", &snapshot.Snapshot{Version: 3, Sources: []snapshot.SourceStatus{fresh},
			Replica: &snapshot.Replica{Role: snapshot.RoleFollower, Term: 7, Seq: 12, ReceivedAt: testNow.Add(-1500 * time.Millisecond)}},
			200, `"snapshotAgeSec": 1.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newAPIServer(t, tt.snap)
			code, body := get(t, ts.URL+"/readyz")
			if code != tt.wantCode || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %s, want %d containing %q", code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	ts := newAPIServer(t, nil)
	if code, _ := get(t, ts.URL+"/healthz"); code != 200 {
		t.Errorf("got %d, want 200 even without data", code)
	}
}

// TestHealthzNamesTheBuild: /healthz says which build answers, as JSON.
func TestHealthzNamesTheBuild(t *testing.T) {
	t.Parallel()
	b := BuildInfo{Version: "9.8.7", Commit: "0123456789ab", Date: "2026-12-01T20:00:00Z"}
	ts := httptest.NewServer(New(Options{Store: snapshot.NewStore(), Build: b}).Handler())
	t.Cleanup(ts.Close)
	code, body := get(t, ts.URL+"/healthz")
	var got struct {
		Status string `json:"status"`
		BuildInfo
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 {
		t.Fatalf("got %d %q (%v), want 200 and JSON", code, body, err)
	}
	if got.Status != "ok" || got.BuildInfo != b {
		t.Errorf("got %+v, want status ok and %+v", got, b)
	}
}

func TestSnapshotJSON(t *testing.T) {
	t.Parallel()
	snap := &snapshot.Snapshot{Version: 7, TakenAt: testNow,
		Skills: []snapshot.Skill{{Key: "comm100:a", Name: "Sales", Queues: []snapshot.Queue{{
			Channel: snapshot.Chat, Waiting: snapshot.Some[int64](4), LongestWait: snapshot.Some(95 * time.Second),
			ServiceLevelTarget: snapshot.Some(30 * time.Second)}}}}}
	e := newAuthEnv(t, nil)
	e.store.Publish(snap)
	c := e.client(t)
	e.login(t, c, "admin", adminPW)
	r := do(t, c, "GET", e.ts.URL+"/api/v1/snapshot", nil)
	code, body := r.code, r.body
	if code != 200 {
		t.Fatalf("got %d", code)
	}
	var got struct {
		Version uint64
		Skills  []struct {
			Name   string
			Queues []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	q := got.Skills[0].Queues[0]
	if got.Version != 7 || q["waiting"] != 4.0 || q["longestWaitSec"] != 95.0 || q["abandonRate"] != nil || q["serviceLevelTargetSec"] != 30.0 {
		t.Errorf("got %s", body)
	}
}

func TestNotFoundIsJSONWithReason(t *testing.T) {
	t.Parallel()
	ts := newAPIServer(t, nil)
	code, body := get(t, ts.URL+"/nope")
	if code != 404 || !strings.Contains(body, "no such page") {
		t.Errorf("got %d %s", code, body)
	}
}

func TestMetricsExposeLiveSide(t *testing.T) {
	t.Parallel()
	ts := newAPIServer(t, nil)
	code, body := get(t, ts.URL+"/metrics")
	for _, m := range []string{"ccdash_ws_clients 0", "ccdash_tile_renders_total", "ccdash_ws_slow_clients_total"} {
		if code != 200 || !strings.Contains(body, m) {
			t.Errorf("/metrics: got %d, missing %q", code, m)
		}
	}
}
