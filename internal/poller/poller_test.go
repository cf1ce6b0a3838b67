package poller

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/prometheus/client_golang/prometheus"
)

// scriptSource answers poll n (0-based) with script(n) and records attempt times.
type scriptSource struct {
	id     string
	script func(n int) (snapshot.Part, error)

	mu       sync.Mutex
	attempts []time.Time
}

func (s *scriptSource) ID() string   { return s.id }
func (s *scriptSource) Kind() string { return "script" }

func (s *scriptSource) Poll(ctx context.Context) (snapshot.Part, error) {
	s.mu.Lock()
	n := len(s.attempts)
	s.attempts = append(s.attempts, time.Now())
	s.mu.Unlock()
	return s.script(n)
}

func (s *scriptSource) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.attempts...)
}

func okPart(waiting int64) snapshot.Part {
	return snapshot.Part{Skills: []snapshot.Skill{{Key: "s:1", ID: "1", Source: "s", Name: "One",
		Queues: []snapshot.Queue{{Channel: snapshot.Chat, Waiting: snapshot.Some(waiting)}}}}}
}

func vendorErr(kind snapshot.ErrorKind, status int, retry time.Duration) error {
	return &Error{Kind: kind, Op: "test op", Status: status, RetryAfter: retry, Err: errors.New("vendor said SECRET-in-body")}
}

// startPoller runs p until the test ends.
func startPoller(t *testing.T, p *Poller) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
}

// waitSnap waits until cond holds for the published snapshot.
func waitSnap(t *testing.T, st *snapshot.Store, timeout time.Duration, what string, cond func(*snapshot.Snapshot) bool) *snapshot.Snapshot {
	t.Helper()
	deadline := time.After(timeout)
	for {
		ch := st.Changed()
		if s := st.Load(); s != nil && cond(s) {
			return s
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
			return nil
		}
	}
}

func statusOf(s *snapshot.Snapshot, id string) snapshot.SourceStatus {
	st, _ := s.Source(id)
	return st
}

func TestPollerSchedulesAttempts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      SourceConfig
		script   func(n int) (snapshot.Part, error)
		attempts int
		minGaps  []time.Duration // lower bounds between consecutive attempts
		wantWait []time.Duration // exact NextPoll-LastAttempt after attempt i
	}{
		{
			name:     "ok polls at the interval",
			cfg:      SourceConfig{Interval: 30 * time.Millisecond, Jitter: -1},
			script:   func(int) (snapshot.Part, error) { return okPart(1), nil },
			attempts: 3,
			minGaps:  []time.Duration{30 * time.Millisecond, 30 * time.Millisecond},
		},
		{
			name: "429 with Retry-After 2s waits 2s",
			cfg:  SourceConfig{Interval: 10 * time.Millisecond},
			script: func(n int) (snapshot.Part, error) {
				if n == 0 {
					return snapshot.Part{}, vendorErr(snapshot.ErrRateLimited, 429, 2*time.Second)
				}
				return okPart(1), nil
			},
			attempts: 2,
			minGaps:  []time.Duration{2 * time.Second},
		},
		{
			name: "429 without Retry-After waits 1s",
			cfg:  SourceConfig{Interval: 10 * time.Millisecond},
			script: func(n int) (snapshot.Part, error) {
				if n == 0 {
					return snapshot.Part{}, vendorErr(snapshot.ErrRateLimited, 429, 0)
				}
				return okPart(1), nil
			},
			attempts: 2,
			minGaps:  []time.Duration{time.Second},
		},
		{
			name:     "5xx backs off exponentially",
			cfg:      SourceConfig{Interval: 20 * time.Millisecond, Jitter: -1},
			script:   func(int) (snapshot.Part, error) { return snapshot.Part{}, vendorErr(snapshot.ErrServer, 503, 0) },
			attempts: 4,
			minGaps:  []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond},
		},
		{
			name: "auth error waits MaxBackoff",
			cfg:  SourceConfig{Interval: 10 * time.Millisecond, MaxBackoff: 400 * time.Millisecond},
			script: func(n int) (snapshot.Part, error) {
				if n == 0 {
					return snapshot.Part{}, vendorErr(snapshot.ErrAuth, 401, 0)
				}
				return okPart(1), nil
			},
			attempts: 2,
			minGaps:  []time.Duration{400 * time.Millisecond},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := &scriptSource{id: "s", script: tc.script}
			tc.cfg.Source = src
			st := snapshot.NewStore()
			startPoller(t, New(st, []SourceConfig{tc.cfg}, nil, nil))
			waitSnap(t, st, 10*time.Second, "attempts", func(*snapshot.Snapshot) bool { return len(src.times()) >= tc.attempts })
			at := src.times()
			for i, min := range tc.minGaps {
				if gap := at[i+1].Sub(at[i]); gap < min {
					t.Errorf("gap after attempt %d = %v, want at least %v", i, gap, min)
				}
			}
		})
	}
}

func TestPollerStatusNextPoll(t *testing.T) {
	t.Parallel()
	// The scheduled wait is visible exactly in the status: NextPoll - LastAttempt.
	src := &scriptSource{id: "s", script: func(int) (snapshot.Part, error) {
		return snapshot.Part{}, vendorErr(snapshot.ErrServer, 500, 0)
	}}
	st := snapshot.NewStore()
	startPoller(t, New(st, []SourceConfig{{Source: src, Interval: 5 * time.Millisecond, Jitter: -1, MaxBackoff: 40 * time.Millisecond}}, nil, nil))
	want := map[int]time.Duration{1: 5 * time.Millisecond, 2: 10 * time.Millisecond, 3: 20 * time.Millisecond, 4: 40 * time.Millisecond, 5: 40 * time.Millisecond}
	for n := 1; n <= 5; n++ {
		s := waitSnap(t, st, 5*time.Second, "failure", func(s *snapshot.Snapshot) bool { return statusOf(s, "s").ConsecutiveFailures >= n })
		ss := statusOf(s, "s")
		if ss.ConsecutiveFailures != n {
			continue // a publish was missed between waits; the next n checks on
		}
		if got := ss.NextPoll.Sub(ss.LastAttempt); got != want[n] {
			t.Errorf("after %d failures: wait %v, want %v", n, got, want[n])
		}
	}
}

func TestPollerKeepsLastGoodPartAndRecovers(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	failing := true
	src := &scriptSource{id: "s", script: func(n int) (snapshot.Part, error) {
		mu.Lock()
		defer mu.Unlock()
		if n == 0 {
			return okPart(7), nil
		}
		if failing {
			return okPart(99), vendorErr(snapshot.ErrServer, 503, 0) // a Part with an error is discarded
		}
		return okPart(8), nil
	}}
	other := &scriptSource{id: "t", script: func(int) (snapshot.Part, error) { return snapshot.Part{}, nil }}
	st := snapshot.NewStore()
	logs := &syncWriter{w: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(logs, nil))
	startPoller(t, New(st, []SourceConfig{
		{Source: src, Interval: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond},
		{Source: other, Interval: time.Hour},
	}, log, nil))

	s := waitSnap(t, st, 5*time.Second, "two failures", func(s *snapshot.Snapshot) bool { return statusOf(s, "s").ConsecutiveFailures >= 2 })
	ss := statusOf(s, "s")
	sk, ok := s.Skill("s:1")
	if !ok || sk.Queues[0].Waiting != snapshot.Some[int64](7) {
		t.Fatalf("skill while failing = %+v (present %v), want the last good Part (waiting 7)", sk, ok)
	}
	if !ss.Failing() || ss.LastSuccess.IsZero() || !ss.LastAttempt.After(ss.LastSuccess) || ss.Kind != "script" {
		t.Errorf("status = %+v, want failing with an older last success", ss)
	}
	if ss.LastError == nil || ss.LastError.Kind != snapshot.ErrServer || ss.LastError.Text != "503 from test op" {
		t.Errorf("LastError = %+v, want server / \"503 from test op\"", ss.LastError)
	}
	if s.Version < 3 || len(s.Sources) != 2 {
		t.Errorf("version %d, sources %d; want a publish per poll (≥3) and both sources", s.Version, len(s.Sources))
	}

	mu.Lock()
	failing = false
	mu.Unlock()
	s = waitSnap(t, st, 5*time.Second, "recovery", func(s *snapshot.Snapshot) bool {
		sk, _ := s.Skill("s:1")
		return statusOf(s, "s").ConsecutiveFailures == 0 && len(sk.Queues) == 1 && sk.Queues[0].Waiting == snapshot.Some[int64](8)
	})
	if ss := statusOf(s, "s"); ss.LastError == nil || ss.Failing() {
		t.Errorf("after recovery: %+v, want not failing and the last error kept", ss)
	}
	// The recovery line is logged just after the publish: wait for it.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "poll recovered") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	out := logs.String()
	if strings.Contains(out, "SECRET") {
		t.Errorf("logs leak the error body: %s", out)
	}
	if !strings.Contains(out, "poll failed") || !strings.Contains(out, "poll recovered") {
		t.Errorf("logs = %s, want failure and recovery lines", out)
	}
}

// syncWriter serializes writes to a buffer read by the test.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}

// httpSource sends n GETs per poll through its Client.
type httpSource struct {
	url string
	c   *Client
	n   int
}

func (h *httpSource) ID() string   { return "http" }
func (h *httpSource) Kind() string { return "test" }
func (h *httpSource) Poll(ctx context.Context) (snapshot.Part, error) {
	for range h.n {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
		if _, err := h.c.Raw(ctx, req, "test get"); err != nil {
			return snapshot.Part{}, err
		}
	}
	return snapshot.Part{}, nil
}

func TestPollerNeverExceedsBudget(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	defer srv.Close()
	const limit, window = 4, 300 * time.Millisecond
	c := &Client{HTTP: srv.Client(), Budget: NewBudget(limit, window)}
	st := snapshot.NewStore()
	ctx, cancel := context.WithCancel(context.Background())
	p := New(st, []SourceConfig{{Source: &httpSource{url: srv.URL, c: c, n: 3}, Client: c, Interval: time.Millisecond}}, nil, nil)
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	// A poll needs 3 requests and the budget allows 4 per window, so polls wait
	// for the budget half the time; they must still succeed.
	waitSnap(t, st, 5*time.Second, "several polls", func(s *snapshot.Snapshot) bool { return statusOf(s, "http").Requests >= 3*limit })
	cancel()
	<-done
	elapsed := time.Since(start)
	max := int64(limit * (int(elapsed/window) + 1))
	if got := c.Requests(); got > max {
		t.Errorf("%d requests in %v, budget allows at most %d", got, elapsed, max)
	}
	if ss := statusOf(st.Load(), "http"); ss.ConsecutiveFailures != 0 || ss.LastError != nil {
		t.Errorf("status = %+v, want no failures while waiting for budget", ss)
	}
}

func TestPollerMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	good := &scriptSource{id: "good", script: func(int) (snapshot.Part, error) { return okPart(1), nil }}
	bad := &scriptSource{id: "bad", script: func(int) (snapshot.Part, error) {
		return snapshot.Part{}, vendorErr(snapshot.ErrServer, 502, 0)
	}}
	st := snapshot.NewStore()
	startPoller(t, New(st, []SourceConfig{{Source: good, Interval: time.Hour}, {Source: bad, Interval: time.Hour}}, nil, m))
	waitSnap(t, st, 5*time.Second, "both polled", func(s *snapshot.Snapshot) bool {
		return !statusOf(s, "good").LastAttempt.IsZero() && !statusOf(s, "bad").LastAttempt.IsZero()
	})
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range mt.GetLabel() {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			switch {
			case mt.GetCounter() != nil:
				got[key] = mt.GetCounter().GetValue()
			case mt.GetGauge() != nil:
				got[key] = mt.GetGauge().GetValue()
			case mt.GetHistogram() != nil:
				got[key] = float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	for _, c := range []struct {
		key  string
		want func(float64) bool
	}{
		{"ccdash_polls_total,outcome=ok,source=good", func(v float64) bool { return v == 1 }},
		{"ccdash_polls_total,outcome=server,source=bad", func(v float64) bool { return v == 1 }},
		{"ccdash_poll_duration_seconds,source=bad", func(v float64) bool { return v == 1 }},
		{"ccdash_source_consecutive_failures,source=bad", func(v float64) bool { return v == 1 }},
		{"ccdash_snapshot_version", func(v float64) bool { return v >= 3 }},
		{"ccdash_source_age_seconds,source=good", func(v float64) bool { return v >= 0 }},
		{"ccdash_source_last_success_timestamp_seconds,source=good", func(v float64) bool { return v > 1e9 }},
	} {
		v, ok := got[c.key]
		if !ok || !c.want(v) {
			t.Errorf("%s = %v (present %v)", c.key, v, ok)
		}
	}
	if _, ok := got["ccdash_source_age_seconds,source=bad"]; ok {
		t.Error("age reported for a source that never succeeded")
	}
}

func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *Metrics
	m.poll("x", "ok", time.Second, 0, time.Now())
	m.vendor("x", 1, 1)
	m.published(1)
}

func TestPollerRunRejectsBadConfig(t *testing.T) {
	t.Parallel()
	a := &scriptSource{id: "a", script: func(int) (snapshot.Part, error) { return snapshot.Part{}, nil }}
	tests := []struct {
		name string
		p    *Poller
	}{
		{"nil store", New(nil, []SourceConfig{{Source: a}}, nil, nil)},
		{"nil source", New(snapshot.NewStore(), []SourceConfig{{}}, nil, nil)},
		{"duplicate ids", New(snapshot.NewStore(), []SourceConfig{{Source: a}, {Source: a}}, nil, nil)},
		{"empty id", New(snapshot.NewStore(), []SourceConfig{{Source: &scriptSource{}}}, nil, nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.p.Run(context.Background()); err == nil {
				t.Error("Run = nil, want a configuration error")
			}
		})
	}
}
