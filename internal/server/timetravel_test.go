package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// timeTravelPage opens the lobby board at a moment of the recorded history as the
// admin and returns the env, the admin's client and the page.
func timeTravelPage(t *testing.T, at time.Time) (*authEnv, *http.Client, *goquery.Document) {
	t.Helper()
	h := recordedHistory(t)
	e := newAuthEnv(t, func(o *Options) { o.History = h })
	admin := e.client(t)
	e.login(t, admin, "admin", adminPW)
	r := do(t, admin, "GET", e.ts.URL+"/boards/lobby?at="+url.QueryEscape(at.Format(time.RFC3339)), nil)
	if r.code != 200 {
		t.Fatalf("got %d %.300s", r.code, r.body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return e, admin, doc
}

// ?at= on the manager board renders the recorded snapshot, statically, with the
// history banner and scrubber; walls never time travel.
func TestTimeTravelPage(t *testing.T) {
	at := historyT0.Add(5*time.Minute + 30*time.Second)
	e, admin, doc := timeTravelPage(t, at)
	if _, live := doc.Find("body").Attr("ws-connect"); live {
		t.Error("a page of the past is connected to the live channel")
	}
	if got, want := doc.Find("body").AttrOr("data-at", ""), strconv.FormatInt(historyT0.Add(5*time.Minute).UnixMilli(), 10); got != want {
		t.Errorf("body data-at = %q, want the recorded snapshot's time %s", got, want)
	}
	if doc.Find(`[data-testid="history-banner"]`).Length() != 1 || doc.Find(`[data-testid="scrubber"]`).Length() != 1 {
		t.Error("no history banner or scrubber")
	}
	// Support waited 15 five minutes in (the live snapshot says 1).
	if got := strings.TrimSpace(doc.Find("#tile-skill-comm100_3ab .main .fv").First().Text()); got != "15" {
		t.Errorf("Support waiting at %v = %q, want the recorded 15", at, got)
	}
	back1 := doc.Find(`[data-testid="history-back1"]`).AttrOr("href", "")
	if want := "/boards/lobby?at=" + url.QueryEscape(at.Add(-time.Minute).UTC().Format(time.RFC3339)); back1 != want {
		t.Errorf("−1 min goes to %q, want %q", back1, want)
	}
	if live := doc.Find(`[data-testid="history-live"]`).AttrOr("href", ""); live != "/boards/lobby" {
		t.Errorf("Live goes to %q, want /boards/lobby", live)
	}
	for path, want := range map[string]int{
		"/wall/lobby?at=10:00":  400,
		"/boards/lobby?at=soon": 400,
		"/boards/lobby?at=" + url.QueryEscape(historyT0.Add(-2*time.Hour).Format(time.RFC3339)): 404,
	} {
		if r := do(t, admin, "GET", e.ts.URL+path, nil); r.code != want {
			t.Errorf("%s: %d, want %d (%.200s)", path, r.code, want, r.body)
		}
	}
}
