package poller

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	cfg := SourceConfig{Interval: 10 * time.Second, MaxBackoff: 5 * time.Minute}.withDefaults()
	errOf := func(k snapshot.ErrorKind, retry time.Duration) *Error {
		return &Error{Kind: k, Op: "x", RetryAfter: retry}
	}
	tests := []struct {
		name     string
		err      *Error
		failures int
		rnd      float64 // 0.5 means no jitter for ± spreads
		want     time.Duration
	}{
		{"ok", nil, 0, 0.5, 10 * time.Second},
		{"ok early jitter", nil, 0, 0, 9 * time.Second},
		{"ok late jitter", nil, 0, 0.9999999999, 11 * time.Second},
		{"429 retry-after 30s", errOf(snapshot.ErrRateLimited, 30*time.Second), 1, 0, 30 * time.Second},
		{"429 retry-after 30s plus jitter", errOf(snapshot.ErrRateLimited, 30*time.Second), 1, 0.5, 31500 * time.Millisecond},
		{"429 retry-after below interval", errOf(snapshot.ErrRateLimited, 2*time.Second), 1, 0, 10 * time.Second},
		{"server 1st failure", errOf(snapshot.ErrServer, 0), 1, 0.5, 10 * time.Second},
		{"server 2nd failure", errOf(snapshot.ErrServer, 0), 2, 0.5, 20 * time.Second},
		{"timeout 3rd failure", errOf(snapshot.ErrTimeout, 0), 3, 0.5, 40 * time.Second},
		{"network 10th failure capped", errOf(snapshot.ErrNetwork, 0), 10, 0.9999999999, 5 * time.Minute},
		{"bad response 1000th failure no overflow", errOf(snapshot.ErrBadResponse, 0), 1000, 0.5, 5 * time.Minute},
		{"503 retry-after beats backoff", errOf(snapshot.ErrServer, 90*time.Second), 1, 0.5, 90 * time.Second},
		{"auth", errOf(snapshot.ErrAuth, 0), 1, 0.5, 5 * time.Minute},
		{"other 4xx", errOf(snapshot.ErrRequest, 0), 1, 0, 5 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := schedule{cfg: cfg, rnd: func() float64 { return tc.rnd }}
			got := s.next(tc.err, tc.failures)
			// Float rounding of the jitter may move the result by a few ns.
			if d := got - tc.want; d < -time.Microsecond || d > time.Microsecond {
				t.Errorf("next = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestScheduleRateLimitFloor(t *testing.T) {
	t.Parallel()
	// With a short interval, a 429 without Retry-After still waits at least 1s.
	cfg := SourceConfig{Interval: 50 * time.Millisecond}.withDefaults()
	s := schedule{cfg: cfg, rnd: func() float64 { return 0 }}
	if got := s.next(&Error{Kind: snapshot.ErrRateLimited}, 1); got < time.Second {
		t.Errorf("429 wait = %v, want at least 1s", got)
	}
}

func TestSourceConfigDefaults(t *testing.T) {
	t.Parallel()
	got := SourceConfig{}.withDefaults()
	if got.Interval != 10*time.Second || got.Jitter != 0.1 || got.MaxBackoff != 5*time.Minute || got.PollTimeout != 30*time.Second {
		t.Errorf("defaults = %v/%v/%v/%v, want 10s/0.1/5m/30s", got.Interval, got.Jitter, got.MaxBackoff, got.PollTimeout)
	}
	if got := (SourceConfig{Interval: time.Hour}).withDefaults(); got.MaxBackoff != time.Hour {
		t.Errorf("MaxBackoff below Interval = %v, want raised to the interval", got.MaxBackoff)
	}
}
