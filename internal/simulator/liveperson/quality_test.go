package liveperson

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

func lpCall(t *testing.T, srvURL, tok, method, path, body string) (int, string) {
	t.Helper()
	u := srvURL + strings.ReplaceAll(path, "{account}", simulator.DefaultCredentials().LivePerson.AccountID)
	code, b := rawCall(t, u, tok, method, "", body)
	return code, string(b)
}

// TestDayWindowValidation: the windows of the day requests are refused with a 400
// when the API would refuse them: a timeframe over 1440 or an interval on
// msgcsatdistribution (which has none), a KMM time filter starting in the future or
// longer than 24 hours.
func TestDayWindowValidation(t *testing.T) {
	t.Parallel()
	sim, srv, tok := activityRig(t)
	now := sim.Now()
	kmm := func(from, to time.Time) string {
		return fmt.Sprintf(`{"filters":{"time":{"from":%d,"to":%d}},"groupBy":"skillId","metricsToRetrieveByTime":["csat"]}`, from.UnixMilli(), to.UnixMilli())
	}
	const ops = "/operations/api/account/{account}/"
	const metrics = "/manager_workspace/api/account/{account}/metrics"
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"csat distribution ok", http.MethodGet, ops + "msgcsatdistribution?timeframe=1440&skillIds=all&v=1", "", 200},
		{"csat distribution timeframe over 1440", http.MethodGet, ops + "msgcsatdistribution?timeframe=1441&skillIds=all&v=1", "", 400},
		{"csat distribution without timeframe", http.MethodGet, ops + "msgcsatdistribution?skillIds=all&v=1", "", 400},
		{"csat distribution with interval", http.MethodGet, ops + "msgcsatdistribution?timeframe=60&interval=30&v=1", "", 400},
		{"queue health timeframe over 1440", http.MethodGet, ops + "queuehealth?timeframe=1500&v=1", "", 400},
		{"kmm since the morning", http.MethodPost, metrics, kmm(now.Add(-9*time.Hour), now), 200},
		{"kmm from in the future", http.MethodPost, metrics, kmm(time.Now().Add(2*time.Hour), time.Now().Add(3*time.Hour)), 400},
		{"kmm over 24 h", http.MethodPost, metrics, kmm(now.Add(-25*time.Hour), now), 400},
	}
	for _, tc := range tests {
		if code, body := lpCall(t, srv.URL, tok, tc.method, tc.path, tc.body); code != tc.want {
			t.Errorf("%s: status %d (%s), want %d", tc.name, code, body, tc.want)
		}
	}
}

// TestCSATDistributionAgreesWithFloor: answers by score per messaging skill are the
// floor's ratings since the window began, and positive = 4 + 5.
func TestCSATDistributionAgreesWithFloor(t *testing.T) {
	t.Parallel()
	sim, srv, tok := activityRig(t)
	code, body := lpCall(t, srv.URL, tok, http.MethodGet, "/operations/api/account/{account}/msgcsatdistribution?timeframe=120&skillIds=all&v=1", "")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	sim.View(func(wd *simulator.World) {
		q := wd.QualitySince(simulator.VendorLivePerson, "", "messaging", wd.Now.Add(-2*time.Hour))
		want := fmt.Sprintf(`"metricsTotal":{"csat_score":%v,`, csatMetrics(q)["csat_score"])
		if !strings.Contains(body, want) || !strings.Contains(body, fmt.Sprintf(`"total_answers":%d`, q.Rated())) {
			t.Errorf("answer %s lacks %s and total_answers %d", body, want, q.Rated())
		}
		if q.Rated() == 0 {
			t.Error("no rating on the floor: the comparison means nothing")
		}
	})
}
