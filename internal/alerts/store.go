package alerts

import (
	"context"
	"errors"
	"time"
)

// Store keeps alert state and the alert log so both survive restarts. Implementations:
// internal/bolt (embedded, in data_dir); each must pass storetest.Alerts.
type Store interface {
	// Active returns every tracked alert (pending ones included), in any order.
	Active(ctx context.Context) ([]Alert, error)
	// Save writes put (replacing alerts with the same ID) and removes the alerts with
	// the ids in del, in one transaction.
	Save(ctx context.Context, put []Alert, del []string) error
	// Append adds events to the log.
	Append(ctx context.Context, events []Event) error
	// Events returns the logged events at or after since, oldest first, at most limit
	// (the newest limit when there are more).
	Events(ctx context.Context, since time.Time, limit int) ([]Event, error)
	// Prune removes the events before before and returns how many it removed.
	Prune(ctx context.Context, before time.Time) (int, error)
}

// LogRetention is how long the alert log keeps events.
const LogRetention = 7 * 24 * time.Hour

// ErrNotFound is returned by Ack for an alert that is not shown (never raised, cleared,
// or outside the viewer's scope — the caller cannot tell which, by design).
var ErrNotFound = errors.New("alerts: no such alert")

// MaxNote bounds an acknowledgement's note, in characters.
const MaxNote = 280
