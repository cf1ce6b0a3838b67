package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// FaultKind names a failure the simulator can inject.
type FaultKind string

// Fault kinds.
const (
	FaultServerError  FaultKind = "server_error" // 5xx (Status, zero means 503)
	FaultRateLimited  FaultKind = "rate_limited" // 429 with Retry-After
	FaultSlow         FaultKind = "slow"         // wait Delay, then answer normally
	FaultGarbage      FaultKind = "garbage"      // 200 with malformed JSON
	FaultUnauthorized FaultKind = "unauthorized" // 401 whatever the credentials
)

// Fault is a failure injected into one vendor's endpoints (or all of them).
type Fault struct {
	// Vendor is VendorComm100, VendorLivePerson, or VendorAll ("" means all).
	Vendor Vendor
	Kind   FaultKind
	// Status is the server error's status. Zero means 503.
	Status int
	// RetryAfter is sent with rate_limited. Zero means 1s.
	RetryAfter time.Duration
	// Delay is how long slow waits before answering. Zero means 5s.
	Delay time.Duration
	// Count is how many requests the fault affects. Zero means until cleared.
	Count int
}

// faultJSON is Fault on the wire (control endpoint): durations as Go duration text
// ("2s") or a number of seconds.
type faultJSON struct {
	Vendor     Vendor          `json:"vendor"`
	Kind       FaultKind       `json:"kind"`
	Status     int             `json:"status,omitempty"`
	RetryAfter json.RawMessage `json:"retryAfter,omitempty"`
	Delay      json.RawMessage `json:"delay,omitempty"`
	Count      int             `json:"count,omitempty"`
}

// MarshalJSON writes durations as Go duration text.
func (f Fault) MarshalJSON() ([]byte, error) {
	j := faultJSON{Vendor: f.Vendor, Kind: f.Kind, Status: f.Status, Count: f.Count}
	if f.RetryAfter > 0 {
		j.RetryAfter, _ = json.Marshal(f.RetryAfter.String())
	}
	if f.Delay > 0 {
		j.Delay, _ = json.Marshal(f.Delay.String())
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a fault, validating its kind, vendor and durations.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var j faultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	ra, err := jsonDuration(j.RetryAfter)
	if err != nil {
		return fmt.Errorf("retryAfter: %w", err)
	}
	d, err := jsonDuration(j.Delay)
	if err != nil {
		return fmt.Errorf("delay: %w", err)
	}
	*f = Fault{Vendor: j.Vendor, Kind: j.Kind, Status: j.Status, RetryAfter: ra, Delay: d, Count: j.Count}
	return f.validate()
}

func jsonDuration(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err == nil {
		return time.Duration(secs * float64(time.Second)), nil
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return 0, fmt.Errorf("want seconds or duration text")
	}
	return time.ParseDuration(text)
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultServerError, FaultRateLimited, FaultSlow, FaultGarbage, FaultUnauthorized:
	default:
		return fmt.Errorf("unknown fault kind %q", f.Kind)
	}
	switch f.Vendor {
	case "", VendorAll, VendorComm100, VendorLivePerson:
	default:
		return fmt.Errorf("unknown vendor %q", f.Vendor)
	}
	if f.Status != 0 && (f.Status < 500 || f.Status > 599) {
		return fmt.Errorf("status %d is not a server error", f.Status)
	}
	if f.Count < 0 || f.RetryAfter < 0 || f.Delay < 0 {
		return fmt.Errorf("negative count or duration")
	}
	return nil
}

// SetFault injects f into f.Vendor's endpoints, replacing that vendor's previous
// fault. An invalid kind is ignored (the control endpoint validates and says so).
func (s *Simulator) SetFault(f Fault) {
	if f.Vendor == "" {
		f.Vendor = VendorAll
	}
	if f.validate() != nil {
		return
	}
	h := s.http
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults[f.Vendor] = &f
}

// ClearFaults removes every injected fault.
func (s *Simulator) ClearFaults() {
	h := s.http
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.faults)
}

// takeFault returns the fault that applies to one request to vendor v (vendor
// specific first), counting it down.
func (h *httpState) takeFault(v Vendor) (Fault, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, key := range []Vendor{v, VendorAll} {
		f := h.faults[key]
		if f == nil {
			continue
		}
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				delete(h.faults, key)
			}
		}
		return *f, true
	}
	return Fault{}, false
}

// garbage is a truncated JSON document: valid start, no end.
const garbage = `{"total": 3, "pageCount": 1, "list": [{"agentId": "5a1c`

// applyFault answers the request according to f and reports whether it did; a slow
// fault only waits (respecting the request's context) and lets the request through.
func applyFault(ctx context.Context, w http.ResponseWriter, f Fault) (handled bool) {
	switch f.Kind {
	case FaultSlow:
		d := f.Delay
		if d == 0 {
			d = 5 * time.Second
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return true // the client is gone; nothing to write
		case <-t.C:
			return false
		}
	case FaultServerError:
		st := f.Status
		if st == 0 {
			st = http.StatusServiceUnavailable
		}
		WriteError(w, st, "simulated server error")
	case FaultRateLimited:
		ra := f.RetryAfter
		if ra == 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(ceilSeconds(ra)))
		WriteError(w, http.StatusTooManyRequests, "too many requests")
	case FaultGarbage:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(garbage))
	case FaultUnauthorized:
		WriteError(w, http.StatusUnauthorized, "unauthorized")
	}
	return true
}

// ceilSeconds rounds d up to whole seconds, at least 1 (Retry-After is an integer).
func ceilSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
