package cluster

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the cluster's Prometheus series. A nil *Metrics records nothing.
type Metrics struct {
	leaderChanges prometheus.Counter
	isLeader      prometheus.Gauge
	term          prometheus.Gauge
	propagation   prometheus.Histogram
	reconnects    prometheus.Counter
	droppedPubs   prometheus.Counter
	bytes         prometheus.Histogram
}

// NewMetrics registers the cluster series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		leaderChanges: prometheus.NewCounter(prometheus.CounterOpts{Name: "ccdash_cluster_leader_changes_total",
			Help: "Leader changes this replica saw: elections it won and new terms it followed."}),
		isLeader: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ccdash_cluster_leader",
			Help: "1 while this replica holds the poller lease."}),
		term: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ccdash_cluster_term",
			Help: "Election term of the snapshot this replica shows."}),
		propagation: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ccdash_cluster_snapshot_propagation_seconds",
			Help:    "Leader publish to follower apply, per snapshot (across hosts it includes clock skew).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "ccdash_cluster_pubsub_reconnects_total",
			Help: "Subscriptions to the cluster channel recreated (errors and heartbeat silence)."}),
		droppedPubs: prometheus.NewCounter(prometheus.CounterOpts{Name: "ccdash_cluster_publications_droppedPubstotal",
			Help: "Publications older than the held (term, seq): a deposed leader's."}),
		bytes: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "ccdash_cluster_snapshot_bytes",
			Help:    "Size of each published snapshot on the wire.",
			Buckets: prometheus.ExponentialBuckets(1024, 2, 12)}),
	}
	reg.MustRegister(m.leaderChanges, m.isLeader, m.term, m.propagation, m.reconnects, m.droppedPubs, m.bytes)
	return m
}

func (m *Metrics) elected(term uint64) {
	if m != nil {
		m.leaderChanges.Inc()
		m.isLeader.Set(1)
		m.term.Set(float64(term))
	}
}

func (m *Metrics) role(leader bool) {
	if m != nil && !leader {
		m.isLeader.Set(0)
	}
}

func (m *Metrics) leaderChanged(term uint64) {
	if m != nil {
		m.leaderChanges.Inc()
		m.term.Set(float64(term))
	}
}

func (m *Metrics) propagated(d time.Duration) {
	if m != nil {
		m.propagation.Observe(max(d.Seconds(), 0))
	}
}

func (m *Metrics) reconnected() {
	if m != nil {
		m.reconnects.Inc()
	}
}

func (m *Metrics) dropped() {
	if m != nil {
		m.droppedPubs.Inc()
	}
}

func (m *Metrics) sent(n int) {
	if m != nil {
		m.bytes.Observe(float64(n))
	}
}
