package server

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// ccCollector exposes the current snapshot as Prometheus gauges on
// /metrics/contact-center. It reads the snapshot at scrape time and keeps no state,
// so the label sets are exactly the skills and accounts the configured sources
// report now: a skill that goes away stops being exported, nothing accumulates.
// Unknown figures are left out (Prometheus has no "unknown"), never exported as 0.
// contactCenterMetrics serves the contact-center gauges on a registry of their own,
// apart from the process metrics on /metrics.
func (s *Server) contactCenterMetrics() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(&ccCollector{store: s.opts.Store, now: s.now})
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

type ccCollector struct {
	store *snapshot.Store
	now   func() time.Time
}

var (
	skillLabels   = []string{"source", "skill", "skill_name", "channel"}
	accountLabels = []string{"source"}
)

func ccDesc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("ccdash_cc_"+name, help, labels, nil)
}

// queueGauges are the per skill and channel figures, in export order.
var queueGauges = []struct {
	desc *prometheus.Desc
	get  func(q snapshot.Queue) (float64, bool)
}{
	{ccDesc("waiting", "Contacts waiting for an agent now.", skillLabels...), optCount(func(q snapshot.Queue) snapshot.Opt[int64] { return q.Waiting })},
	{ccDesc("longest_wait_seconds", "How long the longest-waiting contact has waited, now.", skillLabels...), optSeconds(func(q snapshot.Queue) snapshot.Opt[time.Duration] { return q.LongestWait })},
	{ccDesc("avg_wait_30m_seconds", "Average wait to answer over the last 30 minutes.", skillLabels...), optSeconds(func(q snapshot.Queue) snapshot.Opt[time.Duration] { return q.AvgWait30m })},
	{ccDesc("avg_wait_60m_seconds", "Average wait to answer over the last 60 minutes.", skillLabels...), optSeconds(func(q snapshot.Queue) snapshot.Opt[time.Duration] { return q.AvgWait60m })},
	{ccDesc("service_level_ratio", "Share 0..1 answered within the skill's service-level target.", skillLabels...), optRatio(func(q snapshot.Queue) snapshot.Opt[float64] { return q.ServiceLevel })},
	{ccDesc("abandon_rate_ratio", "Share 0..1 of contacts that gave up waiting, over the vendor's window.", skillLabels...), optRatio(func(q snapshot.Queue) snapshot.Opt[float64] { return q.AbandonRate })},
	{ccDesc("abandoned_30m", "Contacts that gave up waiting in the last 30 minutes.", skillLabels...), optCount(func(q snapshot.Queue) snapshot.Opt[int64] { return q.Abandoned30m })},
	{ccDesc("handled", "Contacts answered over the vendor's window.", skillLabels...), optCount(func(q snapshot.Queue) snapshot.Opt[int64] { return q.Handled })},
	{ccDesc("ongoing", "Conversations in progress with an agent now.", skillLabels...), optCount(func(q snapshot.Queue) snapshot.Opt[int64] { return q.Ongoing })},
	{ccDesc("available_slots", "Free agent capacity now.", skillLabels...), optCount(func(q snapshot.Queue) snapshot.Opt[int64] { return q.AvailableSlots })},
	{ccDesc("estimated_wait_seconds", "The vendor's estimated wait for a new contact.", skillLabels...), optSeconds(func(q snapshot.Queue) snapshot.Opt[time.Duration] { return q.EstimatedWait })},
}

var (
	agentsDesc = ccDesc("agents", "Agents serving the skill, by state.", "source", "skill", "skill_name", "state")
	ageDesc    = ccDesc("snapshot_age_seconds", "Age of the snapshot these figures come from.")
)

func optCount(f func(snapshot.Queue) snapshot.Opt[int64]) func(snapshot.Queue) (float64, bool) {
	return func(q snapshot.Queue) (float64, bool) { v, ok := f(q).Get(); return float64(v), ok }
}

func optSeconds(f func(snapshot.Queue) snapshot.Opt[time.Duration]) func(snapshot.Queue) (float64, bool) {
	return func(q snapshot.Queue) (float64, bool) { v, ok := f(q).Get(); return v.Seconds(), ok }
}

func optRatio(f func(snapshot.Queue) snapshot.Opt[float64]) func(snapshot.Queue) (float64, bool) {
	return func(q snapshot.Queue) (float64, bool) { return f(q).Get() }
}

// Describe sends every descriptor.
func (c *ccCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, g := range queueGauges {
		ch <- g.desc
	}
	ch <- agentsDesc
	ch <- ageDesc
	for _, g := range accountGauges {
		ch <- g.desc
	}
}

// Collect exports the current snapshot.
func (c *ccCollector) Collect(ch chan<- prometheus.Metric) {
	snap := c.store.Load()
	if snap == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(ageDesc, prometheus.GaugeValue, c.now().Sub(snap.TakenAt).Seconds())
	for _, sk := range snap.Skills {
		for _, q := range sk.Queues {
			for _, g := range queueGauges {
				if v, ok := g.get(q); ok {
					ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, sk.Source, sk.Key, sk.Name, string(q.Channel))
				}
			}
		}
		for _, st := range snapshot.States {
			ch <- prometheus.MustNewConstMetric(agentsDesc, prometheus.GaugeValue, float64(sk.Agents.Get(st)), sk.Source, sk.Key, sk.Name, string(st))
		}
	}
	for _, a := range snap.Accounts {
		for _, g := range accountGauges {
			if v, ok := g.get(a); ok {
				ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v, a.Source)
			}
		}
	}
}
