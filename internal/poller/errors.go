package poller

import (
	"errors"
	"fmt"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Error is a failed vendor request, classified so the scheduler knows whether and when
// to retry and the page can say what went wrong without leaking details.
type Error struct {
	// Kind classifies the failure.
	Kind snapshot.ErrorKind
	// Op names the vendor call, e.g. "comm100 realTime/Queue".
	Op string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// RetryAfter is the vendor's Retry-After (429/503), 0 when absent.
	RetryAfter time.Duration
	// Err is the underlying cause.
	Err error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: HTTP %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Summary is a short, secret-free text for pages and snapshots ("503 from
// comm100 realTime/Queue"). It never includes response bodies or URLs with keys.
func (e *Error) Summary() string {
	switch {
	case errors.Is(e.Err, ErrRedirected):
		return ErrRedirected.Error() + " (" + e.Op + ")"
	case errors.Is(e.Err, ErrPageCap):
		return "more pages than one poll reads from " + e.Op + " (paging capped)"
	case errors.Is(e.Err, errBodyTooLarge):
		return "answer over the size cap from " + e.Op
	case e.Kind == snapshot.ErrTimeout && e.Status != 0:
		return "timeout reading the answer from " + e.Op
	case e.Kind == snapshot.ErrNetwork && e.Status != 0:
		return "connection lost reading the answer from " + e.Op
	case e.Status >= 200 && e.Status < 300 && e.Kind == snapshot.ErrBadResponse:
		return "unreadable answer from " + e.Op
	case e.Status != 0:
		return fmt.Sprintf("%d from %s", e.Status, e.Op)
	case e.Kind == snapshot.ErrTimeout:
		return "timeout on " + e.Op
	case e.Kind == snapshot.ErrBadResponse:
		return "unreadable answer from " + e.Op
	default:
		return string(e.Kind) + " error on " + e.Op
	}
}

// asError returns err as an *Error, wrapping unclassified errors as network errors.
func asError(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Kind: snapshot.ErrNetwork, Op: "poll", Err: err}
}

// ErrPageCap is the cause of an *Error when a vendor reports more pages than a
// connector reads in one poll: a hostile or broken pageCount (1e9) must not make one
// poll spend hundreds of requests of the budget.
var ErrPageCap = errors.New("more pages than one poll reads")

// errBodyTooLarge is returned when a response exceeds Client.MaxBody.
var errBodyTooLarge = errors.New("response body exceeds size cap")
