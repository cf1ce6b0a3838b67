package simulator

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// httpState is the simulator's HTTP-side state: request counts, faults and rate-limit
// windows. It has its own lock so HTTP bookkeeping never waits for the engine.
type httpState struct {
	mu       sync.Mutex
	requests map[string]int         // by URL path
	faults   map[Vendor]*Fault      // by vendor (VendorAll for every vendor)
	sent     map[string][]time.Time // rate-limit windows by vendor|ip
}

func newHTTPState() *httpState {
	return &httpState{
		requests: map[string]int{}, faults: map[Vendor]*Fault{},
		sent: map[string][]time.Time{},
	}
}

// vendorOf decides which vendor a path belongs to: /v4/ and /oauth/ are Comm100's
// (API host and dash host); everything else except /_sim/ is LivePerson's.
func vendorOf(path string) Vendor {
	if strings.HasPrefix(path, "/v4/") || strings.HasPrefix(path, "/oauth/") {
		return VendorComm100
	}
	return VendorLivePerson
}

// Routes adds one vendor's endpoints to mux, reading the floor through s (View,
// Config, RealNow). Each vendor package (internal/simulator/comm100,
// internal/simulator/liveperson) exports one; the core cannot import them, so whoever
// builds the handler passes them in. Every route is wrapped alike: request counting,
// faults and rate limiting for the vendor its path belongs to (vendorOf); the routes
// do their own authentication.
type Routes func(s *Simulator, mux *http.ServeMux)

// Handler serves the vendor APIs of routes on one host (paths tell them apart) and,
// when Config.Control is set, the /_sim/ control endpoints:
//
//	POST   /_sim/fault   body: a Fault as JSON, e.g. {"vendor":"comm100","kind":"slow","delay":"3s","count":2}
//	DELETE /_sim/fault   clear every fault
//	GET    /_sim/truth   the current Truth as JSON
func (s *Simulator) Handler(routes ...Routes) http.Handler {
	api := http.NewServeMux()
	for _, add := range routes {
		add(s, api)
	}
	control := http.NewServeMux()
	control.HandleFunc("POST /_sim/fault", s.handleSetFault)
	control.HandleFunc("DELETE /_sim/fault", s.handleClearFaults)
	control.HandleFunc("GET /_sim/truth", s.handleTruth)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if strings.HasPrefix(path, "/_sim/") {
			if !s.cfg.Control {
				http.NotFound(w, r)
				return
			}
			control.ServeHTTP(w, r)
			return
		}
		v := vendorOf(path)
		s.http.count(path)
		if f, ok := s.http.takeFault(v); ok && applyFault(r.Context(), w, f) {
			return
		}
		ok, retry := s.http.allow(v, clientIP(r), s.cfg.RateLimit, s.cfg.RateWindow, s.clock())
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(ceilSeconds(retry)))
			WriteError(w, http.StatusTooManyRequests, "too many requests")
			return
		}
		api.ServeHTTP(w, r)
	})
}

func (h *httpState) count(path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests[path]++
}

// Requests returns how many requests arrived for paths starting with prefix (faulted
// and rate-limited ones included; control endpoints excluded).
func (s *Simulator) Requests(prefix string) int {
	h := s.http
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for p, c := range h.requests {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Simulator) handleSetFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&f); err != nil {
		WriteError(w, http.StatusBadRequest, "bad fault: "+err.Error())
		return
	}
	s.SetFault(f)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) handleTruth(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, s.Truth())
}

// WriteJSON writes v as a JSON response.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		WriteError(w, http.StatusInternalServerError, "encoding failed")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// WriteError writes the error body shape of Comm100 v3 ({code, message}); v4's is not
// documented, and clients must rely on the status anyway.
func WriteError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]any{"code": status * 1000, "message": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
