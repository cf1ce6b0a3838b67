package server

import "github.com/prometheus/client_golang/prometheus"

// registerMetrics exposes the live side: connected screens, slow clients cut off, and
// renders (which grow with board variants in use, never with viewers).
func (s *Server) registerMetrics() {
	s.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_ws_clients", Help: "Open WebSocket connections (pages live now)."},
			func() float64 { return float64(s.hub.Stats().Subscribers) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ccdash_board_variants", Help: "Board variants with at least one live page."},
			func() float64 { return float64(len(s.hub.Topics())) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_ws_messages_sent_total", Help: "WebSocket messages written to pages."},
			func() float64 { return float64(s.hub.Stats().Sent) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_ws_slow_clients_total", Help: "Pages disconnected because their send queue was full."},
			func() float64 { return float64(s.hub.Stats().KickedSlow) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ccdash_tile_renders_total", Help: "Tile-set renders (one per board variant per snapshot)."},
			func() float64 { return float64(s.live.renders.Load()) }),
	)
}
