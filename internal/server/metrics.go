package server

import "github.com/prometheus/client_golang/prometheus"

// registerMetrics exposes the live side: connected screens, slow clients cut off, and
// renders (which grow with board variants in use, never with viewers).
func (s *Server) registerMetrics() {
	s.reg.MustRegister(newScreensCollector(s),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_ws_clients", Help: "Open WebSocket connections (pages live now)."},
			func() float64 { return float64(s.hub.Stats().Subscribers) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_board_variants", Help: "Board variants with at least one live page."},
			func() float64 { return float64(len(s.hub.Topics())) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_ws_messages_sent_total", Help: "WebSocket messages written to pages."},
			func() float64 { return float64(s.hub.Stats().Sent) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_ws_slow_clients_total", Help: "Pages disconnected because their send queue was full."},
			func() float64 { return float64(s.hub.Stats().KickedSlow) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_http_connections", Help: "Open HTTP connections (WebSockets included)."},
			func() float64 { return float64(s.conns.Open()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_http_connections_refused_total", Help: "Connections closed at accept: over max_conns or max_conns_per_ip."},
			func() float64 { return float64(s.conns.refused.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_ws_public_refused_total", Help: "Anonymous sockets refused: over a public board's or an address's cap."},
			func() float64 { return float64(s.sockets.refused.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_tile_renders_total", Help: "Tile-set renders (one per board variant per snapshot)."},
			func() float64 { return float64(s.live.renders.Load()) }),
	)
	if h := s.opts.History; h != nil {
		s.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_history_recorded_total", Help: "Snapshots written to the history store."},
				func() float64 { return float64(h.Stats().Recorded) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_history_dropped_total", Help: "Snapshots not recorded because the history queue was full (a slow store)."},
				func() float64 { return float64(h.Stats().Dropped) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_history_failures_total", Help: "History store writes or trims that failed (full disk, failing store)."},
				func() float64 { return float64(h.Stats().Failures) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_history_available", Help: "1 while the history store's last write succeeded, else 0."},
				func() float64 {
					if h.Available() {
						return 1
					}
					return 0
				}),
		)
	}
}
