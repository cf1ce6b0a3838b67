package comm100

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// fakeClock is a settable real-time clock for token expiry and rate limits.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// noon is a fixed start on a weekday lunch peak, in a fixed zone.
var noon = time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)

type rig struct {
	sim   *simulator.Simulator
	srv   *httptest.Server
	clock *fakeClock
	cfg   simulator.Config
}

func newRig(t *testing.T, mod func(*simulator.Config)) *rig {
	t.Helper()
	cfg := simulator.DefaultCredentials()
	cfg.Seed, cfg.Start, cfg.Manual = 21, noon, true
	if mod != nil {
		mod(&cfg)
	}
	clk := &fakeClock{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg.Clock = clk.Now
	s := simulator.New(cfg)
	srv := httptest.NewServer(s.Handler(Routes))
	t.Cleanup(srv.Close)
	return &rig{sim: s, srv: srv, clock: clk, cfg: s.Config()}
}

// auth decorates a request.
type auth func(*http.Request)

func (r *rig) apiKey() auth {
	return func(req *http.Request) {
		req.SetBasicAuth(r.cfg.Comm100.Email, r.cfg.Comm100.APIKey)
		q := req.URL.Query()
		q.Set("siteId", strconv.Itoa(r.cfg.Comm100.SiteID))
		req.URL.RawQuery = q.Encode()
	}
}

func bearer(tok string) auth {
	return func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+tok) }
}

func (r *rig) do(t *testing.T, method, path string, a auth, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, r.srv.URL+path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if a != nil {
		a(req)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, b
}

func (r *rig) get(t *testing.T, path string, a auth) (int, []byte) {
	t.Helper()
	resp, b := r.do(t, http.MethodGet, path, a, nil)
	return resp.StatusCode, b
}

func (r *rig) token(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, b := r.do(t, http.MethodPost, "/oauth/token", nil, strings.NewReader(form.Encode()))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("token body %q: %v", b, err)
	}
	return resp.StatusCode, m
}

func (r *rig) passwordForm() url.Values {
	c := r.cfg.Comm100
	return url.Values{"grant_type": {"password"}, "email": {c.Email}, "password": {c.Password}, "client_id": {c.ClientID}}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func wantKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("%s keys:\n got %v\nwant %v", what, got, want)
	}
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func TestComm100Shapes(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	agentKeys := []string{"agentId", "displayName", "currentStatusId", "onGoingChats", "maxConcurrentChats",
		"intradayChats", "intradayLinearChatTime", "statusDistribution"}
	tests := []struct {
		path  string
		check func(t *testing.T, b []byte)
	}{
		{"/v4/livechat/realTime/Agents", func(t *testing.T, b []byte) {
			m := decode[map[string]any](t, b)
			wantKeys(t, "page", m, "total", "pageCount", "list", "pageIndex", "pageSize")
			list := m["list"].([]any)
			if len(list) != defaultPageSize {
				t.Fatalf("list has %d items, want %d", len(list), defaultPageSize)
			}
			wantKeys(t, "agent", list[0].(map[string]any), agentKeys...)
		}},
		{"/v4/livechat/realTime/Queue", func(t *testing.T, b []byte) {
			list := decode[[]map[string]any](t, b)
			if len(list) != 6 {
				t.Fatalf("queue has %d departments, want 6", len(list))
			}
			wantKeys(t, "queue", list[0], "routeToDepartmentId", "routeToDepartment", "routeToAgentId",
				"routeToAgent", "ongoingChats", "maxConcurrentChats", "currentQueueLength",
				"avgWaitTimeinLast30Mins", "avgWaitTimeinLast60Mins", "abandonedChatsinLast30Mins",
				"switchedtoMessagesinLast30Mins", "visitors")
			wantKeys(t, "routeToDepartment", list[0]["routeToDepartment"].(map[string]any), "id", "siteId",
				"name", "description", "isAvailableInLiveChat", "isAvailableInTicketingAndMessaging", "isDeleted")
			for _, q := range list {
				for _, v := range q["visitors"].([]any) {
					wantKeys(t, "visitor", v.(map[string]any), "visitorId", "contactIdentityId", "waitTime")
				}
			}
		}},
		{"/v4/livechat/realTime/Today", func(t *testing.T, b []byte) {
			wantKeys(t, "today", decode[map[string]any](t, b), "avgWaitingTime", "totalChats", "chatRequests",
				"abandondedChats", "switchedToMessageChats", "uniqueChatRate", "avgScore",
				"serviceAccessibilityRate", "acceptedInvitations", "departmentTransferredChats", "missedChats",
				"chatAcceptanceRate", "totalTransferredChats", "agentAvgResponseTime", "chats", "avgChatTime",
				"agentUtilization")
		}},
		{"/v4/livechat/realTime/RightNow", func(t *testing.T, b []byte) {
			wantKeys(t, "rightNow", decode[map[string]any](t, b), "loggedInAgents", "agentsInChat",
				"chatUtilization", "visitorOnSite", "ongoingChats", "ongoingChatsWithAgent",
				"currentQueueLength", "ongoingChatsWithBot")
		}},
		{"/v4/global/departments", func(t *testing.T, b []byte) {
			list := decode[[]map[string]any](t, b)
			if len(list) != 6 {
				t.Fatalf("%d departments, want 6", len(list))
			}
			wantKeys(t, "department", list[0], "id", "name", "description", "isAvailableInLiveChat",
				"isAvailableInTicketingAndMessaging", "offlineMessageMailTo", "offlineMessageEmailAddresses",
				"agentIds", "isDeleted", "chatbotStartTriggerActionIds", "shiftIds", "segmentIds")
		}},
		{"/v4/global/agents", func(t *testing.T, b []byte) {
			list := decode[[]map[string]any](t, b)
			if len(list) != 40 {
				t.Fatalf("%d agents, want 40", len(list))
			}
			wantKeys(t, "agent", list[0], "id", "email", "displayName", "firstName", "lastName", "isAdmin",
				"isActive", "phone", "title", "bio", "timeZone", "datetimeFormat", "createdTime", "isLocked",
				"lockedTime", "ifCustomizeAvatar", "customizeAvatar", "systemAvatarId", "avatar",
				"permissionIds", "departmentIds", "roleIds", "skillIds", "superAgentId")
		}},
		{"/v4/global/agentAwayStatuses", func(t *testing.T, b []byte) {
			list := decode[[]map[string]any](t, b)
			var names []string
			for _, s := range list {
				wantKeys(t, "away status", s, "id", "name", "order", "isSystem")
				names = append(names, s["name"].(string))
				if s["isSystem"] == true && s["id"] != simulator.Comm100SystemAway {
					t.Errorf("system away id %v, want %s", s["id"], simulator.Comm100SystemAway)
				}
			}
			if want := []string{"Away", "Lunch", "Meeting", "Training"}; !slices.Equal(names, want) {
				t.Errorf("away statuses %v, want %v", names, want)
			}
		}},
		{"/v4/livechat/agents", func(t *testing.T, b []byte) {
			list := decode[[]map[string]any](t, b)
			if len(list) != 40 {
				t.Fatalf("%d agents, want 40", len(list))
			}
			for _, a := range list {
				wantKeys(t, "chat server agent", a, "id", "status", "ongoingChats")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimPrefix(tc.path, "/v4/"), func(t *testing.T) {
			code, b := r.get(t, tc.path, r.apiKey())
			if code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", code, b)
			}
			tc.check(t, b)
		})
	}
}

func TestComm100Spelling(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *simulator.Config) { c.Comm100Spelling = "ongoingChats" })
	_, b := r.get(t, "/v4/livechat/realTime/Agents", r.apiKey())
	item := decode[map[string]any](t, b)["list"].([]any)[0].(map[string]any)
	if _, ok := item["ongoingChats"]; !ok {
		t.Errorf("agent %v: want ongoingChats", keys(item))
	}
	if _, ok := item["onGoingChats"]; ok {
		t.Errorf("agent %v: onGoingChats must not appear with the other spelling", keys(item))
	}
}

type agentsPage struct {
	Total, PageCount, PageIndex, PageSize int
	List                                  []struct {
		AgentID         string
		CurrentStatusID string
		OnGoingChats    int
	}
}

func TestComm100Paging(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	seen := map[string]bool{}
	var first agentsPage
	for page := 1; ; page++ {
		code, b := r.get(t, "/v4/livechat/realTime/Agents?pageSize=7&pageIndex="+strconv.Itoa(page), r.apiKey())
		if code != http.StatusOK {
			t.Fatalf("page %d: status %d", page, code)
		}
		p := decode[agentsPage](t, b)
		if page == 1 {
			first = p
		}
		if p.PageIndex != page || p.PageSize != 7 {
			t.Errorf("page %d: pageIndex %d pageSize %d", page, p.PageIndex, p.PageSize)
		}
		if page > p.PageCount {
			if len(p.List) != 0 {
				t.Errorf("page %d past pageCount %d has %d items", page, p.PageCount, len(p.List))
			}
			break
		}
		for _, a := range p.List {
			if seen[a.AgentID] {
				t.Errorf("agent %s on two pages", a.AgentID)
			}
			seen[a.AgentID] = true
		}
	}
	if first.Total != 40 || first.PageCount != 6 || len(seen) != 40 {
		t.Errorf("total %d pageCount %d seen %d, want 40, 6, 40", first.Total, first.PageCount, len(seen))
	}

	_, b := r.get(t, "/v4/livechat/realTime/Agents?pageSize=500", r.apiKey())
	if p := decode[agentsPage](t, b); p.PageSize != maxPageSize || len(p.List) != 40 || p.PageCount != 1 {
		t.Errorf("pageSize=500: pageSize %d pageCount %d list %d, want %d, 1, 40", p.PageSize, p.PageCount, len(p.List), maxPageSize)
	}
	for _, q := range []string{"pageSize=0", "pageSize=-3", "pageIndex=0", "pageIndex=x"} {
		if code, _ := r.get(t, "/v4/livechat/realTime/Agents?"+q, r.apiKey()); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, code)
		}
	}

	tr := r.sim.Truth()
	dept := tr.Skills[1]
	want := 0
	for _, a := range tr.Agents {
		if slices.Contains(a.Skills, dept.ID) {
			want++
		}
	}
	_, b = r.get(t, "/v4/livechat/realTime/Agents?pageSize=100&departmentId="+dept.ID, r.apiKey())
	if p := decode[agentsPage](t, b); p.Total != want || len(p.List) != want {
		t.Errorf("department %s: total %d list %d, want %d", dept.Name, p.Total, len(p.List), want)
	}
}

func TestComm100AgreesWithTruth(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.sim.Advance(17 * time.Minute)
	tr := r.sim.Truth()
	_, b := r.get(t, "/v4/livechat/realTime/Queue", r.apiKey())
	var queue []struct {
		RouteToDepartmentID        string
		CurrentQueueLength         int
		OngoingChats               int
		AvgWaitTimeinLast30Mins    int
		AbandonedChatsinLast30Mins int
		Visitors                   []struct{ WaitTime int }
	}
	if err := json.Unmarshal(b, &queue); err != nil {
		t.Fatal(err)
	}
	byID := map[string]simulator.SkillTruth{}
	for _, s := range tr.Skills {
		byID[s.ID] = s
	}
	busy := false
	for _, q := range queue {
		s := byID[q.RouteToDepartmentID]
		longest := 0
		for _, v := range q.Visitors {
			longest = max(longest, v.WaitTime)
		}
		got := [5]int{q.CurrentQueueLength, q.OngoingChats, q.AvgWaitTimeinLast30Mins, q.AbandonedChatsinLast30Mins, longest}
		want := [5]int{s.Waiting, s.Ongoing, int(s.AvgWait30m / time.Second), s.Abandoned30m, int(s.LongestWait / time.Second)}
		if got != want {
			t.Errorf("%s waiting/ongoing/avg30/abandoned30/longest = %v, truth %v", s.Name, got, want)
		}
		busy = busy || s.Ongoing > 0
	}
	if !busy {
		t.Errorf("no ongoing chat at 12:17: the comparison proves nothing")
	}

	_, b = r.get(t, "/v4/livechat/realTime/Agents?pageSize=100", r.apiKey())
	states := map[string]simulator.AgentTruth{}
	for _, a := range tr.Agents {
		states[a.ID] = a
	}
	for _, a := range decode[agentsPage](t, b).List {
		at := states[a.AgentID]
		var want string
		switch at.State {
		case snapshot.Available, snapshot.Busy:
			want = simulator.Comm100StatusOnline
		case snapshot.Offline:
			want = simulator.Comm100StatusOffline
		}
		if want != "" && a.CurrentStatusID != want || want == "" && (a.CurrentStatusID == simulator.Comm100StatusOnline || a.CurrentStatusID == simulator.Comm100StatusOffline) {
			t.Errorf("agent %s state %s: currentStatusId %s", at.Name, at.State, a.CurrentStatusID)
		}
		if a.OnGoingChats != at.Open {
			t.Errorf("agent %s: onGoingChats %d, truth %d", at.Name, a.OnGoingChats, at.Open)
		}
	}
}

func TestComm100Auth(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *simulator.Config) { c.Comm100.TokenTTL = time.Minute })
	const path = "/v4/livechat/realTime/RightNow"
	site := strconv.Itoa(r.cfg.Comm100.SiteID)
	basic := func(user, pass, siteID string) auth {
		return func(req *http.Request) {
			req.SetBasicAuth(user, pass)
			if siteID != "" {
				req.URL.RawQuery = "siteId=" + siteID
			}
		}
	}
	c := r.cfg.Comm100
	for _, tc := range []struct {
		name string
		a    auth
		want int
	}{
		{"api key", basic(c.Email, c.APIKey, site), 200},
		{"no credentials", nil, 401},
		{"wrong key", basic(c.Email, "nope", site), 401},
		{"wrong email", basic("x@example.com", c.APIKey, site), 401},
		{"missing siteId", basic(c.Email, c.APIKey, ""), 401},
		{"wrong siteId", basic(c.Email, c.APIKey, "999"), 401},
		{"unknown bearer", bearer("made-up"), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, b := r.get(t, path, tc.a); got != tc.want {
				t.Errorf("status %d, want %d: %s", got, tc.want, b)
			}
		})
	}

	for _, tc := range []struct {
		name string
		mod  func(url.Values)
		want int
	}{
		{"wrong password", func(v url.Values) { v.Set("password", "x") }, 401},
		{"wrong client", func(v url.Values) { v.Set("client_id", "x") }, 401},
		{"missing email", func(v url.Values) { v.Del("email") }, 401},
		{"bad grant", func(v url.Values) { v.Set("grant_type", "client_credentials") }, 400},
	} {
		t.Run("token "+tc.name, func(t *testing.T) {
			f := r.passwordForm()
			tc.mod(f)
			if code, m := r.token(t, f); code != tc.want || m["access_token"] != nil {
				t.Errorf("status %d body %v, want %d and no token", code, m, tc.want)
			}
		})
	}

	code, m := r.token(t, r.passwordForm())
	if code != 200 {
		t.Fatalf("token: status %d %v", code, m)
	}
	wantKeys(t, "token", m, "access_token", "token_type", "expires_in", "refresh_token")
	if m["token_type"] != "bearer" || m["expires_in"] != float64(60) {
		t.Errorf("token_type %v expires_in %v, want bearer 60", m["token_type"], m["expires_in"])
	}
	tok := m["access_token"].(string)
	if code, b := r.get(t, path, bearer(tok)); code != 200 {
		t.Errorf("bearer: status %d %s", code, b)
	}
	if code, _ := r.get(t, path, bearer(m["refresh_token"].(string))); code != 401 {
		t.Errorf("refresh token used as bearer: status %d, want 401", code)
	}
	_, m2 := r.token(t, r.passwordForm())
	if m2["access_token"] == tok {
		t.Errorf("two grants returned the same token")
	}

	r.clock.Add(61 * time.Second)
	if code, _ := r.get(t, path, bearer(tok)); code != 401 {
		t.Errorf("expired bearer: status %d, want 401", code)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}
	code, m3 := r.token(t, refresh)
	if code != 200 {
		t.Fatalf("refresh: status %d %v", code, m3)
	}
	if code, _ := r.get(t, path, bearer(m3["access_token"].(string))); code != 200 {
		t.Errorf("refreshed bearer: status %d", code)
	}
	if code, _ := r.token(t, refresh); code != 401 {
		t.Errorf("reused refresh token: status %d, want 401", code)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *simulator.Config) { c.RateLimit, c.RateWindow = 3, time.Minute })
	const path = "/v4/livechat/realTime/Today"
	for i := range 3 {
		if code, _ := r.get(t, path, r.apiKey()); code != 200 {
			t.Fatalf("request %d: status %d", i+1, code)
		}
	}
	r.clock.Add(20 * time.Second)
	resp, _ := r.do(t, http.MethodGet, path, r.apiKey(), nil)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("4th request: status %d, want 429", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Retry-After"), "40"; got != want {
		t.Errorf("Retry-After %q, want %q", got, want)
	}
	// Unauthenticated calls count too (the vendor limits by IP, before auth).
	if code, _ := r.get(t, path, nil); code != http.StatusTooManyRequests {
		t.Errorf("unauthenticated: status %d, want 429", code)
	}
	// Another vendor's window is separate.
	if code, _ := r.get(t, "/not-comm100", nil); code == http.StatusTooManyRequests {
		t.Errorf("liveperson path limited by comm100's window")
	}
	r.clock.Add(41 * time.Second)
	if code, _ := r.get(t, path, r.apiKey()); code != 200 {
		t.Errorf("after the window: status %d, want 200", code)
	}
	if got := r.sim.Requests("/v4/"); got != 6 {
		t.Errorf("Requests(/v4/) = %d, want 6 (limited ones included)", got)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	const path = "/v4/livechat/realTime/Queue"
	for _, tc := range []struct {
		name  string
		fault simulator.Fault
		check func(t *testing.T, resp *http.Response, body []byte)
	}{
		{"server error default", simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultServerError}, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 503 {
				t.Errorf("status %d, want 503", resp.StatusCode)
			}
		}},
		{"server error 502 for all", simulator.Fault{Kind: simulator.FaultServerError, Status: 502}, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 502 {
				t.Errorf("status %d, want 502", resp.StatusCode)
			}
		}},
		{"rate limited", simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultRateLimited, RetryAfter: 7 * time.Second}, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
				t.Errorf("status %d Retry-After %q, want 429 and 7", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
		}},
		{"garbage", simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultGarbage}, func(t *testing.T, resp *http.Response, b []byte) {
			if resp.StatusCode != 200 || json.Valid(b) {
				t.Errorf("status %d valid JSON %v, want 200 and malformed", resp.StatusCode, json.Valid(b))
			}
		}},
		{"unauthorized", simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultUnauthorized}, func(t *testing.T, resp *http.Response, _ []byte) {
			if resp.StatusCode != 401 {
				t.Errorf("status %d, want 401 despite good credentials", resp.StatusCode)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, nil)
			r.sim.SetFault(tc.fault)
			resp, b := r.do(t, http.MethodGet, path, r.apiKey(), nil)
			tc.check(t, resp, b)
			r.sim.ClearFaults()
			if code, _ := r.get(t, path, r.apiKey()); code != 200 {
				t.Errorf("after ClearFaults: status %d, want 200", code)
			}
		})
	}

	t.Run("count and vendor scope", func(t *testing.T) {
		t.Parallel()
		r := newRig(t, nil)
		r.sim.SetFault(simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultServerError, Count: 2})
		if code, _ := r.get(t, "/lp-path", nil); code == 503 {
			t.Errorf("comm100 fault hit a liveperson path")
		}
		var got []int
		for range 3 {
			code, _ := r.get(t, path, r.apiKey())
			got = append(got, code)
		}
		if want := []int{503, 503, 200}; !slices.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		r.sim.SetFault(simulator.Fault{Vendor: simulator.VendorLivePerson, Kind: simulator.FaultServerError})
		if code, _ := r.get(t, "/lp-path", nil); code != 503 {
			t.Errorf("liveperson fault: status %d, want 503", code)
		}
		if code, _ := r.get(t, path, r.apiKey()); code != 200 {
			t.Errorf("liveperson fault hit comm100: status %d", code)
		}
		if got := r.sim.Requests(path); got != 4 {
			t.Errorf("Requests(%s) = %d, want 4", path, got)
		}
	})

	t.Run("slow", func(t *testing.T) {
		t.Parallel()
		r := newRig(t, nil)
		r.sim.SetFault(simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultSlow, Delay: time.Hour, Count: 1})
		req, _ := http.NewRequest(http.MethodGet, r.srv.URL+path, nil)
		r.apiKey()(req)
		c := &http.Client{Timeout: 100 * time.Millisecond}
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("slow fault answered (%d) before the client's timeout", resp.StatusCode)
		}
		// The fault was used up by that request; the next answers normally.
		if code, _ := r.get(t, path, r.apiKey()); code != 200 {
			t.Errorf("after the slow request: status %d", code)
		}
		r.sim.SetFault(simulator.Fault{Vendor: simulator.VendorComm100, Kind: simulator.FaultSlow, Delay: 10 * time.Millisecond})
		if code, b := r.get(t, path, r.apiKey()); code != 200 || !json.Valid(b) {
			t.Errorf("short delay: status %d, want a normal answer", code)
		}
	})
}

func TestControlEndpoints(t *testing.T) {
	t.Parallel()
	off := newRig(t, nil)
	if code, _ := off.get(t, "/_sim/truth", nil); code != 404 {
		t.Errorf("control off: /_sim/truth status %d, want 404", code)
	}

	r := newRig(t, func(c *simulator.Config) { c.Control = true })
	code, b := r.get(t, "/_sim/truth", nil)
	if code != 200 {
		t.Fatalf("truth: status %d", code)
	}
	if tr := decode[simulator.Truth](t, b); len(tr.Skills) != 11 || len(tr.Agents) != 70 {
		t.Errorf("truth has %d skills %d agents, want 11 and 70", len(tr.Skills), len(tr.Agents))
	}
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"vendor":"comm100","kind":"nonsense"}`, 400},
		{`{"vendor":"mars","kind":"garbage"}`, 400},
		{`{"vendor":"comm100","kind":"rate_limited","retryAfter":"9s"}`, 204},
	} {
		resp, b := r.do(t, http.MethodPost, "/_sim/fault", nil, strings.NewReader(tc.body))
		if resp.StatusCode != tc.want {
			t.Errorf("POST %s: status %d, want %d (%s)", tc.body, resp.StatusCode, tc.want, b)
		}
	}
	resp, _ := r.do(t, http.MethodGet, "/v4/livechat/realTime/Today", r.apiKey(), nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "9" {
		t.Errorf("after POST fault: status %d Retry-After %q, want 429 and 9", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := r.do(t, http.MethodDelete, "/_sim/fault", nil, nil); resp.StatusCode != 204 {
		t.Errorf("DELETE fault: status %d", resp.StatusCode)
	}
	if code, _ := r.get(t, "/v4/livechat/realTime/Today", r.apiKey()); code != 200 {
		t.Errorf("after DELETE: status %d", code)
	}
	if got := r.sim.Requests("/_sim/"); got != 0 {
		t.Errorf("control requests counted: %d", got)
	}
}

func TestPollingDoesNotChangeTheFloor(t *testing.T) {
	t.Parallel()
	polled, quiet := newRig(t, nil), newRig(t, nil)
	for range 5 {
		for _, p := range []string{"/v4/livechat/realTime/Agents", "/v4/livechat/realTime/Queue", "/v4/global/agents"} {
			polled.get(t, p, polled.apiKey())
		}
		_, _ = polled.token(t, polled.passwordForm())
		polled.sim.Advance(time.Minute)
		quiet.sim.Advance(time.Minute)
	}
	a, errA := json.Marshal(polled.sim.Truth())
	b, errB := json.Marshal(quiet.sim.Truth())
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if string(a) != string(b) {
		t.Errorf("polling changed the simulation")
	}
}

func TestTimeSpan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00"},
		{20*time.Minute + 38*time.Second, "00:20:38.0000000"},
		{6*time.Hour + 53*time.Minute + 57*time.Second + 50*time.Millisecond, "06:53:57.0500000"},
		{26 * time.Hour, "1.02:00:00.0000000"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := timeSpan(tc.d); got != tc.want {
				t.Errorf("timeSpan(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
