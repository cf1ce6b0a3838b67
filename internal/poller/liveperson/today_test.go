package liveperson

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Contract tests of the day answers: the documented examples, and constructed
// answers where the docs give none (msgcsatdistribution, KMM csat), in both key
// spellings the docs disagree on.

func dayBuild() *lpBuild {
	b := lpTestBuild()
	b.dayStart = time.Date(2025, 3, 12, 6, 0, 0, 0, time.UTC)
	return b
}

func TestLPContractTodayQueueHealth(t *testing.T) {
	t.Parallel()
	b := dayBuild()
	if err := b.todayChat(fixture(t, "lp-oprt_queuehealth_1.json")); err != nil {
		t.Fatal(err)
	}
	td := b.part().Accounts[0].Today
	// metricsTotals of the example: entered 10, connected 5, abandoned 4, 10 s to answer.
	eqOpt(t, "requests", td.ChatRequests, int64(10))
	eqOpt(t, "handled", td.Chats, int64(5))
	eqOpt(t, "abandoned", td.Abandoned, int64(4))
	eqOpt(t, "avg wait", td.AvgWait, 2*time.Second)
	if !td.Since.Equal(b.dayStart) {
		t.Errorf("since = %v, want %v", td.Since, b.dayStart)
	}
	if err := b.todayChat([]byte(`{"skillsMetrics":{}}`)); err == nil {
		t.Error("an answer without totals was accepted")
	}
}

func TestLPContractTodaySLA(t *testing.T) {
	t.Parallel()
	b := dayBuild()
	if err := b.todaySLA(30*time.Second, fixture(t, "lp-oprt_sla_1.json")); err != nil {
		t.Fatal(err)
	}
	td := b.part().Accounts[0].Today
	if !td.ServiceLevel.Known() || td.ServiceLevelTarget.Or(0) != 30*time.Second {
		t.Errorf("service level %v target %v, want known and 30s", td.ServiceLevel, td.ServiceLevelTarget)
	}
}

func TestLPContractCSATDistribution(t *testing.T) {
	t.Parallel()
	t.Run("skillsMetrics and metricsTotals", func(t *testing.T) {
		t.Parallel()
		b := dayBuild()
		if err := b.csatDistribution(fixture(t, "lp-msgops_msgcsatdistribution_made1.json")); err != nil {
			t.Fatal(err)
		}
		p := b.part()
		q := partQueue(t, p, "12", snapshot.Messaging)
		eqOpt(t, "12 csat", q.CSAT, 0.8)
		eqOpt(t, "12 answers", q.CSATAnswers, int64(10))
		if !q.QualitySince.Equal(b.dayStart) {
			t.Errorf("quality since %v", q.QualitySince)
		}
		q13 := partQueue(t, p, "13", snapshot.Messaging)
		eqOpt(t, "13 csat (no answers)", q13.CSAT, nil)
		eqOpt(t, "13 answers", q13.CSATAnswers, int64(0))
		eqOpt(t, "account csat", p.Accounts[0].Today.CSAT, 0.8)
	})
	t.Run("skillsMetricsPerAgent and metricsTotal, csat_score in percent", func(t *testing.T) {
		t.Parallel()
		b := dayBuild()
		if err := b.csatDistribution(fixture(t, "lp-msgops_msgcsatdistribution_made2.json")); err != nil {
			t.Fatal(err)
		}
		p := b.part()
		eqOpt(t, "12 csat from positive/total", partQueue(t, p, "12", snapshot.Messaging).CSAT, 0.5)
		eqOpt(t, "account csat", p.Accounts[0].Today.CSAT, 0.5)
	})
}

func TestLPContractKMMQuality(t *testing.T) {
	t.Parallel()
	t.Run("documented example: agentGroupId groups are not skills", func(t *testing.T) {
		t.Parallel()
		b := dayBuild()
		body := fixture(t, "lp-kmm_metrics_1.json")
		if n, err := kmmCount(body); err != nil || n != 3 {
			t.Fatalf("count = %d, %v; want 3", n, err)
		}
		if err := b.kmmQuality(body); err != nil {
			t.Fatal(err)
		}
		if p := b.part(); len(p.Skills) != 0 {
			t.Errorf("skills = %d, want 0", len(p.Skills))
		}
	})
	t.Run("grouped by skillId with csat", func(t *testing.T) {
		t.Parallel()
		b := dayBuild()
		// csat from the distribution first: KMM overrides it.
		if err := b.csatDistribution(fixture(t, "lp-msgops_msgcsatdistribution_made1.json")); err != nil {
			t.Fatal(err)
		}
		if err := b.kmmQuality(fixture(t, "lp-kmm_metrics_quality_made.json")); err != nil {
			t.Fatal(err)
		}
		p := b.part()
		q := partQueue(t, p, "12", snapshot.Messaging)
		eqOpt(t, "csat", q.CSAT, 0.75)
		eqOpt(t, "first response", q.FirstResponse, time.Duration(798118.667*float64(time.Millisecond)))
		eqOpt(t, "response time", q.ResponseTime, time.Duration(58490.731*float64(time.Millisecond)))
		eqOpt(t, "account csat", p.Accounts[0].Today.CSAT, 0.7)
	})
}

// FuzzLPDayParsers feeds any bytes to the day parsers: no panic, and nothing
// negative or above 100% survives.
func FuzzLPDayParsers(f *testing.F) {
	lpFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		b := newLPBuild("lp", 60, 30, time.Unix(0, 0))
		_ = b.todayChat(body)
		_ = b.todaySLA(30*time.Second, body)
		_ = b.todayResolved(body)
		_ = b.csatDistribution(body)
		_ = b.kmmQuality(body)
		_, _ = kmmCount(body)
		p := b.part()
		td := p.Accounts[0].Today
		for _, r := range []snapshot.Opt[float64]{td.CSAT, td.ServiceLevel} {
			if v, ok := r.Get(); ok && (v < 0 || v > 1) {
				t.Fatalf("ratio %v survived", v)
			}
		}
		for _, s := range p.Skills {
			for _, q := range s.Queues {
				if v, ok := q.CSAT.Get(); ok && (v < 0 || v > 1) {
					t.Fatalf("csat %v survived", v)
				}
				for _, d := range []snapshot.Opt[time.Duration]{q.FirstResponse, q.ResponseTime} {
					if v, ok := d.Get(); ok && v < 0 {
						t.Fatalf("negative time %v survived", v)
					}
				}
			}
		}
	})
}
