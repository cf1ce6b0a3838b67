package poller

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestSentinelTokensCancelWhileBudgetExhausted: a token fetch waiting for an exhausted
// budget returns as soon as the poll's context is cancelled, instead of blocking for
// the rest of the budget window (it used context.Background, hanging shutdown).
func TestSentinelTokensCancelWhileBudgetExhausted(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	srv := sentinelServer(t, `{"access_token":"a","expires_in":3600}`, &calls)
	budget := NewBudget(1, time.Hour)
	if err := budget.Wait(t.Context()); err != nil { // spend the only request
		t.Fatal(err)
	}
	// Signal once the fetch has asked the budget (and been told to wait), so the cancel
	// below hits the budget wait, not the queue in front of it.
	asked := make(chan struct{}, 1)
	budget.now = func() time.Time {
		select {
		case asked <- struct{}{}:
		default:
		}
		return time.Now()
	}
	ts := NewSentinelTokens(&Client{Budget: budget}, "cid", "csecret", nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := ts.Token(ctx, srv.URL+"/sentinel/api/v2/account/123/app/token")
		done <- err
	}()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("Token never reached the request budget")
	}
	cancel()
	select {
	case err := <-done:
		var pe *Error
		if !errors.As(err, &pe) || pe.Kind != snapshot.ErrTimeout || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want *Error kind %s wrapping context.Canceled", err, snapshot.ErrTimeout)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Token still blocked on the budget after its context was cancelled")
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("token requests = %d, want 0", got)
	}
	// A second caller, queued behind nobody, also honours its own context.
	if _, err := ts.Token(ctx, srv.URL+"/sentinel/api/v2/account/123/app/token"); !errors.Is(err, context.Canceled) {
		t.Errorf("second Token err = %v, want context.Canceled", err)
	}
}
