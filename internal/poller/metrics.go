package poller

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the poller's Prometheus metrics. A nil *Metrics records nothing, so
// tests and tools can run a Poller without a registry.
type Metrics struct {
	polls       *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	requests    *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	failures    *prometheus.GaugeVec
	lastSuccess *prometheus.GaugeVec
	version     prometheus.Gauge
	age         *ageCollector
}

// NewMetrics creates the metrics and registers them with reg (nil: not registered).
// It panics if they are already registered with reg, like prometheus.MustRegister.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ccdash_polls_total",
			Help: "Polls of a vendor source by outcome (ok or the error kind).",
		}, []string{"source", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ccdash_poll_duration_seconds",
			Help:    "Wall time of a whole poll of a source, waits for the request budget included.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"source"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ccdash_vendor_requests_total",
			Help: "HTTP requests sent to the vendor by a source.",
		}, []string{"source"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ccdash_vendor_rate_limited_total",
			Help: "HTTP 429 answers a source received from the vendor.",
		}, []string{"source"}),
		failures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ccdash_source_consecutive_failures",
			Help: "Polls of a source that failed since its last success.",
		}, []string{"source"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ccdash_source_last_success_timestamp_seconds",
			Help: "Unix time of a source's last good poll.",
		}, []string{"source"}),
		version: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ccdash_snapshot_version",
			Help: "Version of the latest published snapshot.",
		}),
		age: &ageCollector{
			desc: prometheus.NewDesc("ccdash_source_age_seconds",
				"Age of a source's data: seconds since its last good poll, at scrape time.", []string{"source"}, nil),
			last: map[string]time.Time{},
			now:  time.Now,
		},
	}
	if reg != nil {
		reg.MustRegister(m.polls, m.duration, m.requests, m.rateLimited, m.failures, m.lastSuccess, m.version, m.age)
	}
	return m
}

// poll records one finished poll of source.
func (m *Metrics) poll(source, outcome string, took time.Duration, failures int, lastSuccess time.Time) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(source, outcome).Inc()
	m.duration.WithLabelValues(source).Observe(took.Seconds())
	m.failures.WithLabelValues(source).Set(float64(failures))
	if !lastSuccess.IsZero() {
		m.lastSuccess.WithLabelValues(source).Set(float64(lastSuccess.UnixNano()) / 1e9)
		m.age.set(source, lastSuccess)
	}
}

// vendor adds a source's new requests and 429s since the last call.
func (m *Metrics) vendor(source string, requests, rateLimited int64) {
	if m == nil {
		return
	}
	if requests > 0 {
		m.requests.WithLabelValues(source).Add(float64(requests))
	}
	if rateLimited > 0 {
		m.rateLimited.WithLabelValues(source).Add(float64(rateLimited))
	}
}

// published records the version of a newly published snapshot.
func (m *Metrics) published(version uint64) {
	if m == nil {
		return
	}
	m.version.Set(float64(version))
}

// ageCollector reports data age computed at scrape time, so a poller that has
// stopped polling altogether still shows growing age.
type ageCollector struct {
	desc *prometheus.Desc
	now  func() time.Time

	mu   sync.Mutex
	last map[string]time.Time
}

func (c *ageCollector) set(source string, t time.Time) {
	c.mu.Lock()
	c.last[source] = t
	c.mu.Unlock()
}

func (c *ageCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *ageCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for src, t := range c.last {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, now.Sub(t).Seconds(), src)
	}
}
