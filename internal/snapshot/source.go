package snapshot

import "time"

// ErrorKind classifies why a poll failed, so pages and metrics can say what went
// wrong without showing raw error text from an internal failure.
type ErrorKind string

// Error kinds.
const (
	ErrAuth        ErrorKind = "auth"         // 401/403: credentials wrong or revoked
	ErrRateLimited ErrorKind = "rate_limited" // 429
	ErrServer      ErrorKind = "server"       // 5xx
	ErrTimeout     ErrorKind = "timeout"      // no answer in time
	ErrNetwork     ErrorKind = "network"      // connection refused, DNS, TLS
	ErrBadResponse ErrorKind = "bad_response" // undecodable or implausible payload
	ErrRequest     ErrorKind = "request"      // other 4xx: our request was refused
	// ErrClusterLink marks every source of a replica that lost its link to the other
	// replicas (Redis): its figures are the last it received, and nobody polls for it.
	ErrClusterLink ErrorKind = "cluster_link"
)

// SourceError is the last failure of a source.
type SourceError struct {
	Kind ErrorKind `json:"kind"`
	// Text is a short, secret-free description ("503 from realTime/Queue").
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// SourceStatus is the health of one upstream source (one vendor account). It is what
// makes "stale" visible: the last good data stays, and this says how old it is.
type SourceStatus struct {
	// ID is the source's configured id ("comm100", "lp-main"); skill and agent keys
	// start with it.
	ID string `json:"id"`
	// Kind is the vendor connector ("comm100", "liveperson").
	Kind string `json:"kind"`
	// LastSuccess is when the source last delivered a complete, valid poll; zero if never.
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
	// LastAttempt is when the last poll finished, good or bad.
	LastAttempt time.Time `json:"lastAttempt,omitzero"`
	// LastError is the most recent failure; it is kept after recovery (for the
	// record) but Failing() looks at ConsecutiveFailures.
	LastError *SourceError `json:"lastError,omitempty"`
	// ConsecutiveFailures counts polls that failed since the last success.
	ConsecutiveFailures int `json:"consecutiveFailures"`
	// NextPoll is when the scheduler will poll next.
	NextPoll time.Time `json:"nextPoll,omitzero"`
	// Requests counts HTTP requests sent to the vendor since start.
	Requests int64 `json:"requests"`
	// RateLimited counts 429 answers since start.
	RateLimited int64 `json:"rateLimited"`
}

// Failing reports whether the source's latest poll failed.
func (s SourceStatus) Failing() bool { return s.ConsecutiveFailures > 0 }

// Age is how old the source's data is at now; it is -1 when the source never
// delivered data.
func (s SourceStatus) Age(now time.Time) time.Duration {
	if s.LastSuccess.IsZero() {
		return -1
	}
	return now.Sub(s.LastSuccess)
}

// Stale reports whether the source's data should be shown as stale at now: its last
// poll failed, it never delivered, or its last success is older than maxAge.
func (s SourceStatus) Stale(now time.Time, maxAge time.Duration) bool {
	if s.Failing() || s.LastSuccess.IsZero() {
		return true
	}
	return maxAge > 0 && now.Sub(s.LastSuccess) > maxAge
}

// Source returns the status of the source with id, if present.
func (s *Snapshot) Source(id string) (SourceStatus, bool) {
	for _, st := range s.Sources {
		if st.ID == id {
			return st, true
		}
	}
	return SourceStatus{}, false
}
