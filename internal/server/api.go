package server

import (
	"encoding/json"
	"net/http"
)

// handleHealthz says the process is alive, and which build it is; it never depends
// on vendors.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(struct {
		Status string `json:"status"`
		BuildInfo
	}{"ok", s.opts.Build})
}

// readiness is the /readyz body: enough for a load balancer and a human.
type readiness struct {
	Ready   bool           `json:"ready"`
	Version uint64         `json:"version"`
	Sources []sourceHealth `json:"sources"`
	Reason  string         `json:"reason,omitempty"`
	// Replica is this replica's role among replicas sharing one poller; absent on a
	// single replica.
	Replica *replicaHealth `json:"replica,omitempty"`
}

type replicaHealth struct {
	Role string `json:"role"`
	Term uint64 `json:"term"`
	Seq  uint64 `json:"seq"`
	// SnapshotAgeSec is how long ago this replica got (or, leading, made) its snapshot.
	SnapshotAgeSec float64 `json:"snapshotAgeSec"`
	LinkDown       bool    `json:"linkDown,omitempty"`
}

type sourceHealth struct {
	ID     string  `json:"id"`
	OK     bool    `json:"ok"`
	AgeSec float64 `json:"ageSec"`
	Error  string  `json:"error,omitempty"`
}

// handleReadyz is ready when a snapshot exists and no source is failing or stale.
// The details (sources, error text) are for operator requests only.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	snap := s.opts.Store.Load()
	now := s.now()
	body := readiness{Ready: snap != nil, Sources: []sourceHealth{}}
	if snap == nil {
		body.Reason = "no snapshot yet"
	} else {
		body.Version = snap.Version
		if r := snap.Replica; r != nil {
			body.Replica = &replicaHealth{Role: r.Role, Term: r.Term, Seq: r.Seq, SnapshotAgeSec: now.Sub(r.ReceivedAt).Seconds(), LinkDown: r.LinkDown}
		}
		for _, st := range snap.Sources {
			h := sourceHealth{ID: st.ID, OK: !st.Stale(now, s.opts.StaleAfter), AgeSec: st.Age(now).Seconds()}
			if st.Failing() && st.LastError != nil {
				h.Error = st.LastError.Text
			}
			if !h.OK {
				body.Ready = false
				body.Reason = "source " + st.ID + " is failing or stale"
			}
			body.Sources = append(body.Sources, h)
		}
	}
	code := http.StatusOK
	if !body.Ready {
		code = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	if !s.operatorRequest(r) {
		// A load balancer needs the status only; source names and vendor error
		// text are for the operator.
		writeJSON(w, code, map[string]bool{"ready": body.Ready})
		return
	}
	writeJSON(w, code, body)
}

// handleSnapshot serves the normalized snapshot as JSON to signed-in users, limited
// to their scope like their pages (a manager limited to some skills gets only those).
func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	p, err := s.apiPrincipal(r)
	if err != nil {
		s.failJSON(w, r, err)
		return
	}
	snap := s.opts.Store.Load()
	if at := r.URL.Query().Get("at"); at != "" {
		if snap, err = s.snapshotAt(r, at); err != nil {
			s.failJSON(w, r, err)
			return
		}
	}
	if snap == nil {
		s.failJSON(w, r, refuse(errNoDataYet, "no snapshot yet: the first poll has not finished"))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Last-Modified", snap.TakenAt.UTC().Format(http.TimeFormat))
	writeJSON(w, http.StatusOK, snap.Restrict(p.Scope))
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.failJSON(w, r, refuse(errNotFound, "no such page: "+r.URL.Path))
}
