package liveperson

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// activityRig is a simulator serving the LivePerson routes and a Sentinel token.
func activityRig(t *testing.T) (*simulator.Simulator, *httptest.Server, string) {
	t.Helper()
	cfg := simulator.DefaultCredentials()
	cfg.Seed, cfg.Manual = 5, true
	cfg.Start = time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)
	sim := simulator.New(cfg)
	srv := httptest.NewServer(sim.Handler(Routes))
	t.Cleanup(srv.Close)
	acct := cfg.LivePerson
	resp, err := http.PostForm(srv.URL+"/sentinel/api/v2/account/"+acct.AccountID+"/app/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {acct.ClientID}, "client_secret": {acct.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v", err)
	}
	return sim, srv, tok.AccessToken
}

func activityCall(t *testing.T, srv *httptest.Server, tok, method, query, body string) (int, []byte) {
	t.Helper()
	u := srv.URL + "/operations/api/account/" + simulator.DefaultCredentials().LivePerson.AccountID + "/agentactivity"
	return rawCall(t, u, tok, method, query, body)
}

type activityAnswer struct {
	AgentsMetrics struct {
		MetricsPerAgent map[string][]struct {
			ID      int    `json:"id"`
			Name    string `json:"name"`
			Value   struct{ Total, Chatting, NotChatting int64 }
			Reasons []struct {
				ID    string `json:"id"`
				Value struct{ Total int64 }
			} `json:"reasons"`
		} `json:"metricsPerAgent"`
		MetricsTotals []any `json:"metricsTotals"`
	} `json:"agentsMetrics"`
}

// TestAgentActivityValidation: the documented required parameters are 400s when
// missing or out of range, on GET and POST alike.
func TestAgentActivityValidation(t *testing.T) {
	t.Parallel()
	_, srv, tok := activityRig(t)
	tests := []struct {
		name, method, query, body string
		want                      int
	}{
		{"get ok", http.MethodGet, "timeframe=600&agentIds=all&v=1", "", 200},
		{"post strings ok", http.MethodPost, "", `{"timeframe":"1440","v":"1","agentIds":"all","interval":"1440"}`, 200},
		{"post numbers ok", http.MethodPost, "", `{"timeframe":1440,"v":1,"agentIds":"all"}`, 200},
		{"no agentIds", http.MethodGet, "timeframe=60&v=1", "", 400},
		{"no timeframe", http.MethodGet, "agentIds=all&v=1", "", 400},
		{"timeframe too long", http.MethodGet, "timeframe=1441&agentIds=all&v=1", "", 400},
		{"interval below 5", http.MethodGet, "timeframe=60&interval=4&agentIds=all&v=1", "", 400},
		{"no v", http.MethodGet, "timeframe=60&agentIds=all", "", 400},
		{"post not json", http.MethodPost, "", `timeframe=60`, 400},
	}
	for _, tc := range tests {
		if got, body := activityCall(t, srv, tok, tc.method, tc.query, tc.body); got != tc.want {
			t.Errorf("%s: status %d (%s), want %d", tc.name, got, body, tc.want)
		}
	}
}

// TestAgentActivityAgreesWithFloor: each LivePerson agent's state times are the
// floor's time per status today, in the documented shape (ids -1, 2, 3, 4; reasons
// only on Away; totals an empty array), and Logged in is their sum.
func TestAgentActivityAgreesWithFloor(t *testing.T) {
	t.Parallel()
	sim, srv, tok := activityRig(t)
	code, body := activityCall(t, srv, tok, http.MethodGet, "timeframe=900&agentIds=all&v=1", "")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var ans activityAnswer
	if err := json.Unmarshal(body, &ans); err != nil {
		t.Fatal(err)
	}
	if ans.AgentsMetrics.MetricsTotals == nil || len(ans.AgentsMetrics.MetricsTotals) != 0 {
		t.Errorf("metricsTotals = %v, want an empty array", ans.AgentsMetrics.MetricsTotals)
	}
	checked := 0
	sim.View(func(wd *simulator.World) {
		for _, a := range wd.AgentsOf(simulator.VendorLivePerson) {
			st := a.StatusTimeToday
			want := map[int]int64{
				activityOnline:   int64(st[simulator.StatusOnline] / time.Second),
				activityBackSoon: int64(st[simulator.StatusBackSoon] / time.Second),
				activityAway:     int64(st[simulator.StatusAway] / time.Second),
			}
			want[activityLoggedIn] = want[activityOnline] + want[activityBackSoon] + want[activityAway]
			states, ok := ans.AgentsMetrics.MetricsPerAgent[a.ID]
			if want[activityLoggedIn] == 0 {
				if ok {
					t.Errorf("agent %s never logged in today but listed", a.ID)
				}
				continue
			}
			if len(states) != 4 {
				t.Errorf("agent %s: %d states, want 4", a.ID, len(states))
				continue
			}
			checked++
			for _, s := range states {
				if s.Value.Total != want[s.ID] {
					t.Errorf("agent %s state %d (%s): total %d s, want %d", a.ID, s.ID, s.Name, s.Value.Total, want[s.ID])
				}
				if s.ID == activityAway {
					var sum int64
					for _, r := range s.Reasons {
						sum += r.Value.Total
						if want := int64(a.ReasonTimeToday[r.ID] / time.Second); r.Value.Total != want {
							t.Errorf("agent %s reason %s: %d s, want %d", a.ID, r.ID, r.Value.Total, want)
						}
					}
					if sum > s.Value.Total {
						t.Errorf("agent %s: reasons %d s exceed away %d s", a.ID, sum, s.Value.Total)
					}
				}
				if s.ID == activityLoggedIn && s.Value.Chatting+s.Value.NotChatting != s.Value.Total {
					t.Errorf("agent %s: chatting %d + not %d != %d", a.ID, s.Value.Chatting, s.Value.NotChatting, s.Value.Total)
				}
			}
		}
	})
	if checked == 0 {
		t.Fatal("no LivePerson agent logged in: the floor is not what the test expects")
	}
	// One agent by id: only that agent comes back.
	var one string
	for id := range ans.AgentsMetrics.MetricsPerAgent {
		one = id
		break
	}
	_, b := activityCall(t, srv, tok, http.MethodGet, "timeframe=900&v=1&agentIds="+one, "")
	var single activityAnswer
	if err := json.Unmarshal(b, &single); err != nil || len(single.AgentsMetrics.MetricsPerAgent) != 1 {
		t.Errorf("agentIds=%s gave %d agents (%v), want 1", one, len(single.AgentsMetrics.MetricsPerAgent), err)
	}
}
