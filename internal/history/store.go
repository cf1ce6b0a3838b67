package history

import (
	"context"
	"errors"
	"time"
)

// Tier names one series of frames a Store keeps.
type Tier uint8

// Tiers, from finest to coarsest.
const (
	// Raw holds one frame per recorded snapshot, kept for RawWindow.
	Raw Tier = 1
	// Minute holds one frame per minute (the minute's last snapshot plus the
	// minimum and maximum of every skill figure), kept for the retention.
	Minute Tier = 2
	// Events holds the agent state changes of each recorded snapshot, kept for the
	// retention (the agent timeline).
	Events Tier = 3
)

// Tiers lists every tier.
var Tiers = []Tier{Raw, Minute, Events}

// String names the tier (bucket and key names in stores).
func (t Tier) String() string {
	switch t {
	case Raw:
		return "raw"
	case Minute:
		return "minute"
	case Events:
		return "events"
	}
	return "unknown"
}

// Entry is one frame to store.
type Entry struct {
	Tier Tier
	At   time.Time
	Data []byte
}

// Store keeps opaque frames by tier and time. Writing a frame at a time that already
// holds one replaces it. Implementations: internal/bolt (embedded) and
// internal/redisstore (replicas); both must pass storetest.History.
type Store interface {
	// Write stores every entry, all or none.
	Write(ctx context.Context, entries []Entry) error
	// Range calls fn for each frame of tier with from <= at < to, oldest first. data
	// is valid only during the call. An error from fn stops the walk and is returned.
	Range(ctx context.Context, tier Tier, from, to time.Time, fn func(at time.Time, data []byte) error) error
	// Trim deletes the frames of tier older than before.
	Trim(ctx context.Context, tier Tier, before time.Time) error
	// Close releases the store.
	Close() error
}

// Errors callers tell apart with errors.Is.
var (
	// ErrNotFound: no history at that time (before recording started, trimmed, or
	// a gap while the server was down).
	ErrNotFound = errors.New("history: no data at that time")
	// ErrUnavailable: the store is failing; live pages carry on without history.
	ErrUnavailable = errors.New("history: unavailable")
	// ErrBadQuery: a query asked for something that cannot be answered (unknown
	// metric or skill, empty range, too many points); the message says which.
	ErrBadQuery = errors.New("history: bad query")
	// ErrCorrupt: a frame could not be decoded.
	ErrCorrupt = errors.New("history: corrupt frame")
)
