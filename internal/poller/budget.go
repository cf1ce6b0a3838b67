package poller

import (
	"context"
	"sync"
	"time"
)

// Budget is a sliding-window request budget: at most Limit requests in any Window.
// Vendors publish such limits (Comm100: 300 calls per 5 minutes per IP) and ban
// clients that exceed them, so the budget is enforced before a request is sent, not
// inferred from 429s after the fact.
type Budget struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	sent  []time.Time // send times inside the window, oldest first
	total int64
}

// NewBudget returns a budget of limit requests per window. A limit of zero or less
// means unlimited.
func NewBudget(limit int, window time.Duration) *Budget {
	return &Budget{limit: limit, window: window, now: time.Now}
}

// Wait blocks until one more request fits in the budget and records it, or returns
// ctx's error.
func (b *Budget) Wait(ctx context.Context) error {
	for {
		wait := b.reserve()
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve records a send and returns 0 if it fits, else how long until it would.
func (b *Budget) reserve() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if b.limit > 0 {
		cut := 0
		for cut < len(b.sent) && now.Sub(b.sent[cut]) >= b.window {
			cut++
		}
		b.sent = b.sent[cut:]
		if len(b.sent) >= b.limit {
			return b.window - now.Sub(b.sent[0])
		}
		b.sent = append(b.sent, now)
	}
	b.total++
	return 0
}

// Sent returns how many requests the budget has let through since it was made.
func (b *Budget) Sent() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total
}

// InWindow returns how many requests were sent in the current window.
func (b *Budget) InWindow() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	n := 0
	for _, t := range b.sent {
		if now.Sub(t) < b.window {
			n++
		}
	}
	return n
}
