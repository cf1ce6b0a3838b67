package poller

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBudgetSlidingWindow(t *testing.T) {
	t.Parallel()
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBudget(2, time.Second)
	b.now = func() time.Time { return clock }
	steps := []struct {
		advance  time.Duration
		wantWait time.Duration // 0: the request fits
	}{
		{0, 0},
		{300 * time.Millisecond, 0},
		{100 * time.Millisecond, 600 * time.Millisecond}, // full: the first send leaves the window at 1s
		{600 * time.Millisecond, 0},                      // t=1s: first send left
		{0, 300 * time.Millisecond},                      // full again until the 0.3s send leaves
	}
	for i, s := range steps {
		clock = clock.Add(s.advance)
		if got := b.reserve(); got != s.wantWait {
			t.Fatalf("step %d: reserve = %v, want %v", i, got, s.wantWait)
		}
	}
	if got := b.Sent(); got != 3 {
		t.Errorf("Sent = %d, want 3 (refused reservations are not sends)", got)
	}
	if got := b.InWindow(); got != 2 {
		t.Errorf("InWindow = %d, want 2", got)
	}
}

func TestBudgetWaitHonoursContext(t *testing.T) {
	t.Parallel()
	b := NewBudget(1, time.Hour)
	if err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait on a full budget = %v, want the context's deadline error", err)
	}
}

func TestBudgetUnlimited(t *testing.T) {
	t.Parallel()
	b := NewBudget(0, time.Second)
	for range 1000 {
		if err := b.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if b.Sent() != 1000 {
		t.Errorf("Sent = %d, want 1000", b.Sent())
	}
}

func TestBudgetFree(t *testing.T) {
	b := NewBudget(3, time.Hour)
	if got := b.Free(); got != 3 {
		t.Fatalf("Free() of an unused budget = %d, want 3", got)
	}
	for range 2 {
		if err := b.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.Free(); got != 1 {
		t.Fatalf("Free() after 2 of 3 = %d, want 1", got)
	}
	if got := NewBudget(0, time.Hour).Free(); got != -1 {
		t.Fatalf("Free() of an unlimited budget = %d, want -1", got)
	}
}
