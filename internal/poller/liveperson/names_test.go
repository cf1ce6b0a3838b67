package liveperson

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
)

// TestLPNamesFailureBacksOff: an account-config look-up that fails (403 without the
// permission) is not retried on every poll; it waits lpNamesRetry, and the failure is
// kept for NamesError instead of vanishing.
func TestLPNamesFailureBacksOff(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/configuration/") {
			calls.Add(1)
		}
		http.Error(w, `{"error":"forbidden"}`, http.StatusForbidden)
	}))
	t.Cleanup(srv.Close)
	now := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	l, err := New(Config{
		AccountID: "123", Insecure: true,
		Hosts:  map[string]string{serviceAccountConfig: strings.TrimPrefix(srv.URL, "http://")},
		AppKey: "ck", Secret: "cs", AccessToken: "t", AccessTokenSecret: "ts",
		Now: func() time.Time { return now },
	}, &poller.Client{})
	if err != nil {
		t.Fatal(err)
	}
	poll := func(at time.Time) {
		t.Helper()
		l.applyNames(t.Context(), newLPBuild(l.cfg.ID, l.cfg.Timeframe, l.cfg.Bucket, at))
	}
	steps := []struct {
		name      string
		at        time.Duration
		wantCalls int64
	}{
		{"first poll asks", 0, 2},
		{"next poll does not", 10 * time.Second, 2},
		{"just before back-off", lpNamesRetry - time.Second, 2},
		{"after back-off asks again", lpNamesRetry, 4},
	}
	for _, st := range steps {
		poll(now.Add(st.at))
		if got := calls.Load(); got != st.wantCalls {
			t.Errorf("%s: account-config requests = %d, want %d", st.name, got, st.wantCalls)
		}
	}
	if err := l.NamesError(); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("NamesError = %v, want the 403", err)
	}
}
