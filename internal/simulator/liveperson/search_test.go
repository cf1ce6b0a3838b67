package liveperson

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

func searchCall(t *testing.T, rig func(method, path, query, body string) (int, []byte), api, query, body string) (int, []byte) {
	t.Helper()
	path := map[string]string{
		"mi": "/messaging_history/api/account/%s/conversations/search",
		"eh": "/interaction_history/api/account/%s/interactions/search",
	}[api]
	return rig("POST", path, query, body)
}

func searchRig(t *testing.T) (*simulator.Simulator, func(method, path, query, body string) (int, []byte)) {
	t.Helper()
	sim, srv, tok := activityRig(t)
	acct := simulator.DefaultCredentials().LivePerson.AccountID
	return sim, func(method, path, query, body string) (int, []byte) {
		t.Helper()
		srvPath := strings.Replace(path, "%s", acct, 1)
		return rawCall(t, srv.URL+srvPath, tok, method, query, body)
	}
}

// TestSearchValidation: the documented request examples are accepted (numbers and
// numeric strings as epoch bounds), and bad windows, bodies and paging are 400s.
func TestSearchValidation(t *testing.T) {
	t.Parallel()
	sim, call := searchRig(t)
	now := sim.Now()
	window := func(from, to time.Time) string {
		return `{"start":{"from":` + ms(from) + `,"to":` + ms(to) + `}}`
	}
	fixture := func(name string) string {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ok := "source=ccdash_test&limit=100&offset=0&sort=start:asc"
	tests := []struct {
		name, api, query, body string
		want                   int
	}{
		{"MI request example 1 (string epochs, queue state)", "mi", ok, fixture("lp-msghist_conversations-search_request_1.json"), 200},
		{"MI request example 2 (drill-down)", "mi", ok, fixture("lp-msghist_conversations-search_request_2.json"), 200},
		{"MI without start", "mi", ok, `{"status":["OPEN"]}`, 400},
		{"MI window over three months", "mi", ok, window(now.Add(-100*24*time.Hour), now), 400},
		{"MI from after to", "mi", ok, window(now, now.Add(-time.Hour)), 400},
		{"MI queue state as an array", "mi", ok, `{"start":{"from":1,"to":2},"latestConversationQueueState":["IN_QUEUE"]}`, 400},
		{"MI body not JSON", "mi", ok, `{"start":`, 400},
		{"MI without source", "mi", "limit=10", window(now.Add(-time.Hour), now), 400},
		{"MI source over 20 characters", "mi", "source=" + strings.Repeat("x", 21), window(now.Add(-time.Hour), now), 400},
		{"MI limit over 100", "mi", "source=x&limit=101", window(now.Add(-time.Hour), now), 400},
		{"MI unknown sort", "mi", "source=x&sort=wait:asc", window(now.Add(-time.Hour), now), 400},
		{"EH request example 1", "eh", ok, fixture("lp-enghist_interactions-search_request_1.json"), 200},
		{"EH request example 3 (skills, agents, keyword)", "eh", ok, fixture("lp-enghist_interactions-search_request_2.json"), 200},
		{"EH sort with the doc's :des", "eh", "sort=start:des", window(now.Add(-time.Hour), now), 200},
		{"EH window over one month", "eh", ok, window(now.Add(-40*24*time.Hour), now), 400},
		{"EH interactive=false", "eh", ok, `{"interactive":false,"start":{"from":1,"to":2}}`, 400},
		{"EH without start", "eh", ok, `{"interactive":true}`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, body := searchCall(t, call, tc.api, tc.query, tc.body)
			if code != tc.want {
				t.Fatalf("status %d, want %d: %s", code, tc.want, body)
			}
		})
	}
}

// busyMessagingSkill advances sim a minute at a time (at most a simulated day) until
// a LivePerson messaging skill has at least n contacts waiting, and returns it.
func busyMessagingSkill(t *testing.T, sim *simulator.Simulator, n int) (id string, waiting int) {
	t.Helper()
	for range 24 * 60 {
		for _, sk := range sim.Truth().Skills {
			for _, q := range sk.Queues {
				if sk.Vendor == simulator.VendorLivePerson && q.Channel == snapshot.Messaging && q.Waiting >= n {
					return sk.ID, q.Waiting
				}
			}
		}
		sim.Advance(time.Minute)
	}
	t.Fatalf("no LivePerson messaging skill had %d waiting in a simulated day", n)
	return "", 0
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// rawCall sends one request with a Sentinel token and returns the status and body.
func rawCall(t *testing.T, u, tok, method, query, body string) (int, []byte) {
	t.Helper()
	if query != "" {
		u += "?" + query
	}
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestMIConversationsMatchTheFloor: a skill's IN_QUEUE conversations are exactly its
// waiting contacts (the count the queue tiles show), ids stable between calls,
// paged as documented.
func TestMIConversationsMatchTheFloor(t *testing.T) {
	t.Parallel()
	sim, call := searchRig(t)
	skill, waiting := busyMessagingSkill(t, sim, 2)
	now := time.Now() // a client's clock: the floor maps it onto simulated time
	body := `{"start":{"from":` + ms(now.Add(-7*24*time.Hour)) + `,"to":` + ms(now) + `},"status":["OPEN"],` +
		`"latestConversationQueueState":"IN_QUEUE","latestSkillIds":[` + skill + `],"contentToRetrieve":["transfers"]}`
	ids := func(query string) (int, []string) {
		code, raw := searchCall(t, call, "mi", query, body)
		if code != 200 {
			t.Fatalf("status %d: %s", code, raw)
		}
		var p struct {
			Meta struct {
				Count int `json:"count"`
			} `json:"_metadata"`
			Records []struct {
				Info struct {
					ID    string `json:"conversationId"`
					State string `json:"latestQueueState"`
				} `json:"info"`
				Messages []any `json:"messageRecords"`
			} `json:"conversationHistoryRecords"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Records {
			if r.Info.State != "IN_QUEUE" || r.Messages != nil {
				t.Fatalf("record %+v: want IN_QUEUE and no transcript (not asked for)", r)
			}
			out = append(out, r.Info.ID)
		}
		return p.Meta.Count, out
	}
	count, all := ids("source=x&limit=100&sort=start:asc")
	if count != waiting || len(all) != waiting {
		t.Fatalf("count %d, records %d; the skill has %d waiting", count, len(all), waiting)
	}
	_, first := ids("source=x&limit=1&offset=0&sort=start:asc")
	_, second := ids("source=x&limit=1&offset=1&sort=start:asc")
	if len(first) != 1 || len(second) != 1 || first[0] != all[0] || second[0] != all[1] {
		t.Errorf("pages %v, %v; want the first two of %v", first, second, all)
	}
}

// TestSearchRateLimited: the searches share the vendor's per-client rate limit; past
// it they answer 429 with Retry-After, as documented for every LivePerson data API.
func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	cfg := simulator.DefaultCredentials()
	cfg.Manual, cfg.RateLimit, cfg.RateWindow = true, 2, time.Hour
	sim := simulator.New(cfg)
	srv := httptest.NewServer(sim.Handler(Routes))
	t.Cleanup(srv.Close)
	acct := cfg.LivePerson.AccountID
	body := `{"start":{"from":1,"to":2}}`
	var codes []int
	for _, path := range []string{"/messaging_history/api/account/" + acct + "/conversations/search?source=x",
		"/interaction_history/api/account/" + acct + "/interactions/search", "/messaging_history/api/account/" + acct + "/conversations/search?source=x"} {
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if codes[2] != http.StatusTooManyRequests || codes[0] == http.StatusTooManyRequests || codes[1] == http.StatusTooManyRequests {
		t.Errorf("statuses %v: want the third request over the limit of 2 to be 429", codes)
	}
}
