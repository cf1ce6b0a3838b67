package server

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The Grafana dashboard in docs/ must chart only metrics this server exports: a
// renamed gauge would leave an empty panel nobody notices until they need it.
func TestGrafanaDashboardChartsExportedMetrics(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/grafana-contact-center.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	exported := map[string]bool{"ccdash_cc_agents": true, "ccdash_cc_snapshot_age_seconds": true}
	for _, g := range queueGauges {
		exported[descName(g.desc.String())] = true
	}
	for _, g := range accountGauges {
		exported[descName(g.desc.String())] = true
	}
	metric := regexp.MustCompile(`ccdash_cc_[a-z0-9_]+`)
	if len(d.Panels) < 6 {
		t.Fatalf("%d panels, want the contact center charted", len(d.Panels))
	}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			names := metric.FindAllString(tg.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: %q charts no ccdash metric", p.Title, tg.Expr)
			}
			for _, n := range names {
				if !exported[n] {
					t.Errorf("panel %q charts %s, which the server does not export", p.Title, n)
				}
			}
		}
	}
}

// descName pulls fqName out of a Desc's String() (`Desc{fqName: "x", …}`).
func descName(s string) string {
	_, rest, _ := strings.Cut(s, `fqName: "`)
	name, _, _ := strings.Cut(rest, `"`)
	return name
}
