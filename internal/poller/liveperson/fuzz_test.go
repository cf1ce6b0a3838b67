package liveperson

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpFuzzSeeds adds every LivePerson example as a seed.
func lpFuzzSeeds(f *testing.F) {
	f.Helper()
	files, _ := filepath.Glob("testdata/lp-*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"skillsMetrics":{"1":{"currentQueueState":"NA","abandonmentRate":1e308}}}`))
	f.Add([]byte(`{"metricsByIntervals":[{"timestamp":null,"metricsData":null}]}`))
}

// FuzzLPParsers feeds any bytes to every LivePerson parser: hostile or malformed
// vendor JSON may fail a poll but must never panic, and what does parse must still
// assemble into a Part.
func FuzzLPParsers(f *testing.F) {
	lpFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		b := newLPBuild("lp", 60, 30, time.Unix(0, 0))
		_ = b.configSkills(body)
		_ = b.configReasons(body)
		_ = b.queueHealth(body)
		_ = b.queueState(body)
		_ = b.sla("1", 30*time.Second, body)
		_ = b.engActivity(body)
		_ = b.msgQueueHealth(body)
		_ = b.ewt(body)
		_ = b.msgConversation(body)
		_, _ = b.kmmMetrics(body)
		_, _ = b.kmmAgentView(body)
		_, _ = b.agentMetricsStatus(body)
		_ = b.agentActivity(time.Hour, body)
		p := b.part()
		for _, a := range p.Agents {
			if act := a.Activity; act != nil {
				for _, d := range []snapshot.Opt[time.Duration]{act.LoggedIn, act.Online, act.BackSoon, act.Away} {
					if v, ok := d.Get(); ok && v < 0 {
						t.Fatalf("negative activity time %v survived", v)
					}
				}
				for _, r := range act.AwayReasons {
					if r.Time < 0 || r.Reason == "" {
						t.Fatalf("bad away reason %+v", r)
					}
				}
			}
		}
		for _, s := range p.Skills {
			for _, q := range s.Queues {
				if v, ok := q.Waiting.Get(); ok && v < 0 {
					t.Fatalf("negative waiting %d survived", v)
				}
				if v, ok := q.LongestWait.Get(); ok && v < 0 {
					t.Fatalf("negative wait %v survived", v)
				}
			}
		}
	})
}

// FuzzLPDomain checks the Domain API answer never yields a host with a scheme,
// path or user part.
func FuzzLPDomain(f *testing.F) {
	lpFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		var l lpDomainList
		if lpDecode(body, &l) != nil {
			return
		}
		hosts, err := l.hosts()
		if err != nil {
			return
		}
		for svc, h := range hosts {
			if !validHost(h) {
				t.Fatalf("%s: invalid host %q accepted", svc, h)
			}
		}
	})
}
