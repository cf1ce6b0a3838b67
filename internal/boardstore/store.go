package boardstore

import (
	"context"
	"errors"
	"time"
)

// ErrUnknownBoard is what Store.Delete returns for an id it does not hold.
var ErrUnknownBoard = errors.New("boardstore: no such board")

// Board is one edited board: YAML is the board as an entry of the config's boards
// list ("id: sales\ntitle: Sales\nthresholds: …").
type Board struct {
	ID        string
	YAML      string
	UpdatedBy string
	UpdatedAt time.Time
}

// Store keeps the edited boards. Implementations are safe for concurrent use.
type Store interface {
	// List returns every board, by id.
	List(ctx context.Context) ([]Board, error)
	// Put creates or replaces the board with b.ID.
	Put(ctx context.Context, b Board) error
	// Delete removes board id, or returns ErrUnknownBoard.
	Delete(ctx context.Context, id string) error
}

// Action is what an audit entry records.
type Action string

// The actions on /admin/boards.
const (
	ActionCreate Action = "create"
	ActionEdit   Action = "edit"
	ActionCopy   Action = "copy"
	ActionDelete Action = "delete"
)

// Entry is one line of the audit log.
type Entry struct {
	At     time.Time
	Who    string
	Action Action
	Board  string
	// Summary is a short diff: the YAML keys that changed, with old → new values.
	Summary string
}

// MaxEntries and MaxAge bound the audit log: an Append drops the entries beyond
// either, so the log cannot grow without end.
const (
	MaxEntries = 1000
	MaxAge     = 90 * 24 * time.Hour
)

// Audit is the append-only log of board edits. Implementations are safe for
// concurrent use and keep at most MaxEntries entries, none older than MaxAge
// before the newest.
type Audit interface {
	// Append adds e (e.At set by the caller).
	Append(ctx context.Context, e Entry) error
	// Recent returns up to limit entries, newest first.
	Recent(ctx context.Context, limit int) ([]Entry, error)
}
