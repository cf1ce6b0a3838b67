package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// demoSignedIn starts the demo (no config) and signs in as its printed admin.
func demoSignedIn(t *testing.T) (*runningApp, *http.Client) {
	t.Helper()
	app := startApp(t, []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, func(string) string { return "" })
	m := printedAdmin.FindStringSubmatch(app.stdout.String())
	if m == nil {
		t.Fatalf("demo printed no admin login: %s", app.stdout.String())
	}
	c := browser(t)
	signIn(t, c, app.base, m[1], m[2])
	return app, c
}

// TestDemoLivePersonTodayFilled: on the demo's manager board every LivePerson
// "Today" figure the vendor gives (requests, handled, abandoned, average wait,
// service level, messaging resolved, CSAT) is filled, none is "—", and the group
// names its window ("today since 06:00", the demo's reset). So do the agents' day
// columns and the messaging skills' quality figures.
func TestDemoLivePersonTodayFilled(t *testing.T) {
	t.Parallel()
	app, c := demoSignedIn(t)

	var doc *goquery.Document
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := fetch(t, c, http.MethodGet, app.base+"/boards/demo", nil)
		if code == http.StatusOK {
			d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if d.Find(`[data-testid="today-day"][data-src="liveperson"] .fv`).Length() > 0 &&
				d.Find(`[data-testid="agents"] tbody tr`).Length() > 0 {
				doc = d
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo board shows no LivePerson Today group within 60s")
		}
		time.Sleep(250 * time.Millisecond)
	}

	day := doc.Find(`[data-testid="today-day"][data-src="liveperson"]`)
	if title := strings.Join(strings.Fields(day.Find("h4").Text()), " "); title != "Today since 06:00" {
		t.Errorf("LivePerson today heading %q, want %q", title, "Today since 06:00")
	}
	want := []string{"Requests", "Handled", "Abandoned", "Avg", "SL", "Resolved", "CSAT"} // first word of each label
	var got []string
	day.Find(".figs > div").Each(func(_ int, f *goquery.Selection) {
		label := strings.TrimSpace(f.Find(".fl").Text())
		got = append(got, strings.Fields(label)[0])
		if v := strings.TrimSpace(f.Find(".fv").Text()); v == "" || v == "—" {
			t.Errorf("LivePerson today %q is %q, want a value", label, v)
		}
	})
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("LivePerson today figures %v, want %v", got, want)
	}

	// Day columns: every listed LivePerson agent who logged in today has them.
	filled := 0
	doc.Find(`[data-testid="agents"] tbody tr[data-src="liveperson"]`).Each(func(_ int, tr *goquery.Selection) {
		tds := tr.Find("td")
		if tds.Length() < 8 {
			t.Fatalf("agent row has %d cells, want the day columns too", tds.Length())
		}
		if v := strings.TrimSpace(tds.Eq(5).Text()); v != "—" && strings.HasSuffix(strings.TrimSpace(tds.Eq(6).Text()), "%") {
			filled++
		}
	})
	if filled == 0 {
		t.Error("no LivePerson agent row shows time logged in and utilisation today")
	}
	if cap := doc.Find(`[data-testid="agents"] caption`).Text(); !strings.Contains(cap, "since 06:00") {
		t.Errorf("agent list caption %q does not name the day's window", cap)
	}
	// Quality figures on messaging skills say their window.
	if n := doc.Find(`[id$="-messaging-csat"] .fn`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Text() == "since 06:00"
	}).Length(); n == 0 {
		t.Error("no messaging skill shows CSAT since 06:00")
	}
}
