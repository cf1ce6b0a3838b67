package comm100

import (
	"os"
	"path/filepath"
	"testing"
)

// seedComm100 adds every Comm100 testdata payload (any endpoint: a parser must
// reject another endpoint's shape without panicking) plus a few hostile bodies.
func seedComm100(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "comm100-*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no comm100 testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "null", "[]", "{}", `{"list":null}`, `[{"visitors":[{"waitTime":1e308}]}]`,
		`{"list":[{"agentId":1,"intradayChats":"-5","maxConcurrentChats":1e30}]}`, `[{"routeTo":{"type":1,"id":7}}]`} {
		f.Add([]byte(s))
	}
}

func FuzzComm100Agents(f *testing.F) {
	seedComm100(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseComm100Agents(body)
		if err != nil {
			return
		}
		for _, a := range p.Agents {
			if a.ID == "" {
				t.Fatal("agent without id accepted")
			}
			if m, ok := a.MaxSlots.Get(); ok && m <= 0 {
				t.Fatalf("MaxSlots %d known but not positive", m)
			}
			if o, ok := a.Open.Get(); ok && o < 0 {
				t.Fatalf("Open %d negative", o)
			}
		}
	})
}

func FuzzComm100Queue(f *testing.F) {
	seedComm100(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := parseComm100Queue(body)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if e.DepartmentID == "" || seen[e.DepartmentID] {
				t.Fatalf("department id %q empty or repeated", e.DepartmentID)
			}
			seen[e.DepartmentID] = true
			if w, ok := e.Queue.LongestWait.Get(); ok && w < 0 {
				t.Fatalf("LongestWait %v negative", w)
			}
		}
	})
}

func FuzzComm100Today(f *testing.F) {
	seedComm100(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		td, err := parseComm100Today(body)
		if err != nil {
			return
		}
		if r, ok := td.AcceptanceRate.Get(); ok && r < 0 {
			t.Fatalf("AcceptanceRate %v negative", r)
		}
	})
}

func FuzzComm100RightNow(f *testing.F) {
	seedComm100(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rn, err := parseComm100RightNow(body)
		if err != nil {
			return
		}
		if r, ok := rn.Utilization.Get(); ok && r < 0 {
			t.Fatalf("Utilization %v negative", r)
		}
	})
}

func FuzzComm100Lookups(f *testing.F) {
	seedComm100(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		// Never panic; ids are never empty when accepted.
		if ds, err := parseComm100Departments(body); err == nil {
			for _, d := range ds {
				if d.ID == "" {
					t.Fatal("department without id accepted")
				}
			}
		}
		_, _ = parseComm100GlobalAgents(body)
		_, _ = parseComm100AwayStatuses(body)
		_, _ = parseComm100StatusNames(body)
		_, _, _ = parseComm100Token(body)
	})
}
