package comm100

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

const (
	deptMarketing = "a039b84c-c185-4e88-9f1b-a8d4063dab25"
	deptSeed      = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	agentSrita2   = "51f36e1a-d521-43bf-a0a8-20cbade284e4"
	agentSrita    = "841d966b-744b-405e-86d1-7e8c573ebc60"
	agentFrank    = "74ed2bc3-a41f-4dc8-9ae0-f562ebea5943"
	awaySystem    = "5827eacf-c08e-4eb9-b09c-00155d081d0b"
)

func pollC100(t *testing.T, s *Source) snapshot.Part {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	part, err := s.Poll(ctx)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return part
}

func c100Queue(t *testing.T, p snapshot.Part, id string) snapshot.Queue {
	t.Helper()
	for _, sk := range p.Skills {
		if sk.ID == id {
			if sk.Key != "comm100:"+id || sk.Source != "comm100" || len(sk.Queues) != 1 || sk.Queues[0].Channel != snapshot.Chat {
				t.Fatalf("skill %s: key/source/queues = %q/%q/%d, want comm100:%s/comm100/1 chat", id, sk.Key, sk.Source, len(sk.Queues), id)
			}
			return sk.Queues[0]
		}
	}
	t.Fatalf("skill %s missing; have %d skills", id, len(p.Skills))
	return snapshot.Queue{}
}

func c100AgentOf(t *testing.T, p snapshot.Part, id string) snapshot.Agent {
	t.Helper()
	for _, a := range p.Agents {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("agent %s missing; have %d agents", id, len(p.Agents))
	return snapshot.Agent{}
}

func eqC100[T comparable](t *testing.T, name string, got snapshot.Opt[T], want snapshot.Opt[T]) {
	t.Helper()
	if got != want {
		gv, gok := got.Get()
		wv, wok := want.Get()
		t.Errorf("%s = %v (known %v), want %v (known %v)", name, gv, gok, wv, wok)
	}
}

func c100NoDur() snapshot.Opt[time.Duration] { return snapshot.None[time.Duration]() }
func c100NoInt() snapshot.Opt[int64]         { return snapshot.None[int64]() }
func optOf[T any](v T) snapshot.Opt[T]       { return snapshot.Some(v) }

// A queue with figures in every field, so units show (the seed example is all zeros).
const queueWithFigures = `[{"routeToDepartmentId":"3FA85F64-5717-4562-B3FC-2C963F66AFA6","routeToDepartment":{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"Sales"},
 "routeToAgentId":null,"ongoingChats":4,"maxConcurrentChats":0,"currentQueueLength":2,"avgWaitTimeinLast30Mins":45,"avgWaitTimeinLast60Mins":61.5,
 "abandonedChatsinLast30Mins":3,"switchedtoMessagesinLast30Mins":1,"visitors":[{"visitorId":"v1","waitTime":30},{"visitorId":"v2","waitTime":95.5}],"someNewField":{"x":[1,2]}},
 {"routeToDepartmentId":null,"routeToAgentId":"51f36e1a-d521-43bf-a0a8-20cbade284e4","currentQueueLength":1,"visitors":[{"waitTime":5}]}]`

func TestComm100Contract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		oauth  bool
		change map[string]string // endpoint bodies replacing the examples
		check  func(t *testing.T, p snapshot.Part)
	}{
		{
			name: "vendor examples over api key", check: checkExamples,
		},
		{
			name: "vendor examples over oauth", oauth: true, check: checkExamples,
		},
		{
			name:   "queue figures and units",
			change: map[string]string{"livechat/realTime/Queue": queueWithFigures},
			check: func(t *testing.T, p snapshot.Part) {
				q := c100Queue(t, p, deptSeed)
				eqC100(t, "Waiting", q.Waiting, optOf[int64](2))
				eqC100(t, "LongestWait", q.LongestWait, optOf(95500*time.Millisecond))
				eqC100(t, "AvgWait30m", q.AvgWait30m, optOf(45*time.Second))
				eqC100(t, "AvgWait60m", q.AvgWait60m, optOf(61500*time.Millisecond))
				eqC100(t, "Abandoned30m", q.Abandoned30m, optOf[int64](3))
				eqC100(t, "Ongoing", q.Ongoing, optOf[int64](4))
				eqC100(t, "AbandonRate", q.AbandonRate, snapshot.None[float64]())
				eqC100(t, "Handled", q.Handled, c100NoInt())
				eqC100(t, "EstimatedWait", q.EstimatedWait, c100NoDur())
				if len(p.Skills) != 2 {
					t.Errorf("skills = %d, want 2 (the agent-routed entry is not a department)", len(p.Skills))
				}
			},
		},
		{
			name: "other spellings, strings for ints, unknown fields",
			change: map[string]string{
				"livechat/realTime/Agents": `{"total":1,"pageCount":1,"extra":true,"list":[{"agentId":"51F36E1A-D521-43BF-A0A8-20CBADE284E4","displayName":"A","currentStatusId":"00000000-0000-0000-0000-000000000000",
					"ongoingChats":2,"maxConcurrentChats":3,"intradayChats":"7","intradayLinearChatTime":"1.02:03:04.5","statusDistribution":{},"newThing":[1]}]}`,
				"livechat/realTime/Today":    `{"chatRequests":"10","totalChats":8,"abandonedChats":2,"chatAcceptanceRate":87,"agentUtilization":0.5,"whatever":{"a":1}}`,
				"livechat/realTime/RightNow": `{"visitorsOnSite":12,"chatUtilization":0.3,"onGoingChats":4,"ongoingChatsWithAgents":3,"ongoingChatsWithChatbot":1,"bonus":"x"}`,
			},
			check: func(t *testing.T, p snapshot.Part) {
				a := c100AgentOf(t, p, agentSrita2)
				eqC100(t, "Open", a.Open, optOf[int64](2))
				eqC100(t, "MaxSlots", a.MaxSlots, optOf[int64](3))
				eqC100(t, "HandledToday", a.HandledToday, optOf[int64](7))
				eqC100(t, "Load", a.Load, optOf(2.0/3.0))
				if a.State != snapshot.Available {
					t.Errorf("state = %q, want available (2 of 3 slots)", a.State)
				}
				td := p.Accounts[0].Today
				eqC100(t, "ChatRequests", td.ChatRequests, optOf[int64](10))
				eqC100(t, "Chats (from totalChats)", td.Chats, optOf[int64](8))
				eqC100(t, "Abandoned (abandonedChats)", td.Abandoned, optOf[int64](2))
				eqC100(t, "AcceptanceRate (percent)", td.AcceptanceRate, optOf(0.87))
				eqC100(t, "AgentUtilization", td.AgentUtilization, optOf(0.5))
				eqC100(t, "AvgWait", td.AvgWait, c100NoDur())
				rn := p.Accounts[0].RightNow
				eqC100(t, "VisitorsOnSite", rn.VisitorsOnSite, optOf[int64](12))
				eqC100(t, "Utilization", rn.Utilization, optOf(0.3))
				eqC100(t, "Ongoing", rn.Ongoing, optOf[int64](4))
				eqC100(t, "OngoingWithAgent", rn.OngoingWithAgent, optOf[int64](3))
				eqC100(t, "OngoingWithBot", rn.OngoingWithBot, optOf[int64](1))
				eqC100(t, "LoggedInAgents", rn.LoggedInAgents, c100NoInt())
			},
		},
		{
			name: "v3 report shapes",
			change: map[string]string{
				"livechat/realTime/Today":    c100Fixture(t, "comm100-v3_realtime-today_1.json"),
				"livechat/realTime/RightNow": c100Fixture(t, "comm100-v3_realtime-rightnow_1.json"),
				"livechat/realTime/Queue": `[{"routeTo":{"type":1,"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"},"ongoingChats":5,"avgWaitTimeInLast30Mins":12.0,"avgWaitTimeInLast60Mins":15.0,
					"abandonedChatsInLast30Mins":0.0,"queue":[{"visitorId":"x","waitTime":50.0}]}]`,
			},
			check: func(t *testing.T, p snapshot.Part) {
				td := p.Accounts[0].Today
				eqC100(t, "ChatRequests", td.ChatRequests, optOf[int64](1))
				eqC100(t, "Chats", td.Chats, optOf[int64](1))
				eqC100(t, "AcceptanceRate", td.AcceptanceRate, optOf(1.0))
				eqC100(t, "Abandoned", td.Abandoned, optOf[int64](0))
				eqC100(t, "AvgWait (section null)", td.AvgWait, c100NoDur())
				rn := p.Accounts[0].RightNow
				eqC100(t, "VisitorsOnSite", rn.VisitorsOnSite, optOf[int64](16))
				eqC100(t, "Utilization", rn.Utilization, optOf(0.22))
				eqC100(t, "OngoingWithAgent", rn.OngoingWithAgent, optOf[int64](6))
				q := c100Queue(t, p, deptSeed)
				eqC100(t, "Waiting (len of queue)", q.Waiting, optOf[int64](1))
				eqC100(t, "LongestWait", q.LongestWait, optOf(50*time.Second))
				eqC100(t, "AvgWait30m (InLast spelling)", q.AvgWait30m, optOf(12*time.Second))
				eqC100(t, "Ongoing", q.Ongoing, optOf[int64](5))
			},
		},
		{
			name: "away reasons and status names",
			change: map[string]string{
				"global/agentAwayStatuses": `[{"id":"5827eacf-c08e-4eb9-b09c-00155d081d0b","name":"Away","order":0,"isSystem":true},
					{"id":"11111111-0000-0000-0000-00000000aaaa","name":"Lunch","order":1,"isSystem":false}]`,
				"livechat/realTime/Agents": `{"total":4,"pageCount":1,"list":[
					{"agentId":"51f36e1a-d521-43bf-a0a8-20cbade284e4","currentStatusId":"5827eacf-c08e-4eb9-b09c-00155d081d0b","onGoingChats":0},
					{"agentId":"841d966b-744b-405e-86d1-7e8c573ebc60","currentStatusId":"11111111-0000-0000-0000-00000000AAAA","onGoingChats":0},
					{"agentId":"74ed2bc3-a41f-4dc8-9ae0-f562ebea5943","currentStatusId":"99999999-0000-0000-0000-000000000009","onGoingChats":0},
					{"agentId":"c97a2afe-a38f-46f8-a55b-8ac9f873cd09","currentStatusId":"99999999-0000-0000-0000-000000000009","onGoingChats":0}]}`,
				"livechat/agents": `[{"id":"74ed2bc3-a41f-4dc8-9ae0-f562ebea5943","status":"Training","ongoingChats":0},{"id":"c97a2afe-a38f-46f8-a55b-8ac9f873cd09","status":"","ongoingChats":0}]`,
			},
			check: func(t *testing.T, p snapshot.Part) {
				for _, c := range []struct {
					id     string
					state  snapshot.AgentState
					reason string
					name   string
				}{
					{agentSrita2, snapshot.Away, "", "srita2 chen"},
					{agentSrita, snapshot.Away, "Lunch", "srita chen 10001"},
					{agentFrank, snapshot.Away, "Training", "frank"},
					{"c97a2afe-a38f-46f8-a55b-8ac9f873cd09", snapshot.Unknown, "", "c97a2afe-a38f-46f8-a55b-8ac9f873cd09"},
				} {
					a := c100AgentOf(t, p, c.id)
					if a.State != c.state || a.Reason != c.reason || a.Name != c.name {
						t.Errorf("agent %s = %q/%q/%q, want %q/%q/%q", c.id, a.State, a.Reason, a.Name, c.state, c.reason, c.name)
					}
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bodies := exampleBodies(t)
			for k, v := range tc.change {
				bodies[k] = v
			}
			_, srv := newFakeComm100(t, tc.oauth, bodies)
			s, _ := newTestComm100(t, srv, tc.oauth)
			p := pollC100(t, s)
			if p.Source != "comm100" || len(p.Accounts) != 1 || p.Accounts[0].Source != "comm100" {
				t.Fatalf("part source/accounts = %q/%d, want comm100 with one account", p.Source, len(p.Accounts))
			}
			tc.check(t, p)
		})
	}
}

// checkExamples asserts the Part built from the vendor example payloads.
func checkExamples(t *testing.T, p snapshot.Part) {
	t.Helper()
	if len(p.Skills) != 2 {
		t.Fatalf("skills = %d, want 2 (departments example + seed queue department)", len(p.Skills))
	}
	mk := c100Queue(t, p, deptMarketing)
	eqC100(t, "markting Waiting (not in queue answer)", mk.Waiting, c100NoInt())
	eqC100(t, "markting LongestWait", mk.LongestWait, c100NoDur())
	seed := c100Queue(t, p, deptSeed)
	eqC100(t, "seed Waiting", seed.Waiting, optOf[int64](0))
	eqC100(t, "seed LongestWait", seed.LongestWait, optOf(time.Duration(0)))
	eqC100(t, "seed AvgWait30m", seed.AvgWait30m, optOf(time.Duration(0)))
	eqC100(t, "seed Ongoing", seed.Ongoing, optOf[int64](0))
	eqC100(t, "seed ServiceLevel", seed.ServiceLevel, snapshot.None[float64]())

	if len(p.Agents) != 3 {
		t.Fatalf("agents = %d, want 3", len(p.Agents))
	}
	a := c100AgentOf(t, p, agentSrita2)
	if a.Key != "comm100:"+agentSrita2 || a.Name != "srita2 chen" || a.State != snapshot.Busy {
		t.Errorf("srita2 = %q/%q/%q, want key, name, busy (1 chat, limit not set = 1 slot)", a.Key, a.Name, a.State)
	}
	eqC100(t, "srita2 Open (onGoingChats)", a.Open, optOf[int64](1))
	eqC100(t, "srita2 MaxSlots (0 = not set)", a.MaxSlots, c100NoInt())
	eqC100(t, "srita2 HandledToday", a.HandledToday, optOf[int64](0))
	eqC100(t, "srita2 Load", a.Load, snapshot.None[float64]())
	wantSkills := []string{"comm100:" + deptSeed, "comm100:" + deptMarketing}
	if strings.Join(a.Skills, ",") != strings.Join(wantSkills, ",") {
		t.Errorf("srita2 skills = %v, want %v (uppercase GUID in departmentIds matched)", a.Skills, wantSkills)
	}
	f := c100AgentOf(t, p, agentFrank)
	if f.State != snapshot.Offline || f.Name != "frank 10001" || len(f.Skills) != 0 {
		t.Errorf("frank = %q/%q/%v, want offline/\"frank 10001\" (trimmed)/no skills", f.State, f.Name, f.Skills)
	}

	td := p.Accounts[0].Today
	eqC100(t, "ChatRequests", td.ChatRequests, optOf[int64](152))
	eqC100(t, "Chats", td.Chats, optOf[int64](128))
	eqC100(t, "Abandoned (abandondedChats)", td.Abandoned, optOf[int64](9))
	eqC100(t, "Missed", td.Missed, optOf[int64](6))
	eqC100(t, "Transferred", td.Transferred, optOf[int64](7))
	eqC100(t, "SwitchedToMessage", td.SwitchedToMessage, optOf[int64](4))
	eqC100(t, "AvgWait", td.AvgWait, optOf(42500*time.Millisecond))
	eqC100(t, "AvgChatTime", td.AvgChatTime, optOf(412*time.Second))
	eqC100(t, "AvgResponse", td.AvgResponse, optOf(18250*time.Millisecond))
	eqC100(t, "AcceptanceRate", td.AcceptanceRate, optOf(0.91))
	eqC100(t, "AgentUtilization", td.AgentUtilization, optOf(0.63))
	eqC100(t, "AvgScore", td.AvgScore, optOf(4.6))
	rn := p.Accounts[0].RightNow
	eqC100(t, "LoggedInAgents", rn.LoggedInAgents, optOf[int64](14))
	eqC100(t, "AgentsInChat", rn.AgentsInChat, optOf[int64](9))
	eqC100(t, "Ongoing", rn.Ongoing, optOf[int64](17))
	eqC100(t, "OngoingWithAgent", rn.OngoingWithAgent, optOf[int64](15))
	eqC100(t, "OngoingWithBot", rn.OngoingWithBot, optOf[int64](2))
	eqC100(t, "QueueLength", rn.QueueLength, optOf[int64](5))
	eqC100(t, "VisitorsOnSite (visitorOnSite)", rn.VisitorsOnSite, optOf[int64](230))
	eqC100(t, "Utilization (45 = percent)", rn.Utilization, optOf(0.45))
}

func TestComm100Paging(t *testing.T) {
	t.Parallel()
	page := func(n int, ids ...string) string {
		var items []string
		for _, id := range ids {
			items = append(items, `{"agentId":"`+id+`","displayName":"`+id+`","currentStatusId":"00000000-0000-0000-0000-000000000002"}`)
		}
		return `{"total":5,"pageCount":` + string(rune('0'+n)) + `,"list":[` + strings.Join(items, ",") + `]}`
	}
	tests := []struct {
		name      string
		pages     []string
		wantCalls int
		wantIDs   int
	}{
		{"three pages", []string{page(3, "a", "b"), page(3, "c", "d"), page(3, "e")}, 3, 5},
		{"agent repeated across pages kept once", []string{page(2, "a", "b"), page(2, "b", "c")}, 2, 3},
		{"empty page stops early", []string{page(3, "a"), page(3), page(3, "x")}, 2, 1},
		{"seed example served for every page", nil, 7, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bodies := exampleBodies(t)
			bodies["livechat/realTime/Agents"] = c100Fixture(t, "comm100-v4_realtime-agents_seed.json")
			f, srv := newFakeComm100(t, false, bodies)
			f.agentPages = tc.pages
			s, _ := newTestComm100(t, srv, false)
			p := pollC100(t, s)
			if got := f.count("livechat/realTime/Agents"); got != tc.wantCalls {
				t.Errorf("Agents calls = %d, want %d", got, tc.wantCalls)
			}
			if len(p.Agents) != tc.wantIDs {
				t.Errorf("agents = %d, want %d", len(p.Agents), tc.wantIDs)
			}
		})
	}
}

func TestComm100APIKeyAuth(t *testing.T) {
	t.Parallel()
	f, srv := newFakeComm100(t, false, exampleBodies(t))
	s, c := newTestComm100(t, srv, false)
	pollC100(t, s)
	pollC100(t, s)
	if n := f.count("oauth/token"); n != 0 {
		t.Errorf("token requests = %d, want 0 with API key auth", n)
	}
	// The Agents example says pageCount 7. Second poll reuses the look-ups:
	// 2×(7 Agents pages + Queue + Today + RightNow) + 3 look-ups.
	if got, want := c.Requests(), int64(23); got != want {
		t.Errorf("requests = %d, want %d", got, want)
	}
}

func TestComm100OAuthTokenLifecycle(t *testing.T) {
	t.Parallel()
	f, srv := newFakeComm100(t, true, exampleBodies(t))
	f.tokenLife = 1000
	s, _ := newTestComm100(t, srv, true)
	clock := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s.auth.(*comm100OAuth).now = func() time.Time { return clock }

	pollC100(t, s)
	pollC100(t, s)
	if n := f.count("oauth/token"); n != 1 {
		t.Fatalf("token requests after two polls = %d, want 1 (cached)", n)
	}
	clock = clock.Add(899 * time.Second)
	pollC100(t, s)
	if n := f.count("oauth/token"); n != 1 {
		t.Fatalf("token requests before 90%% of life = %d, want 1", n)
	}
	clock = clock.Add(2 * time.Second)
	pollC100(t, s)
	if n := f.count("oauth/token"); n != 2 {
		t.Fatalf("token requests after 90%% of life = %d, want 2 (renewed early)", n)
	}

	f.revokeAll()
	_, err := s.Poll(context.Background())
	var pe *poller.Error
	if !errors.As(err, &pe) || pe.Kind != snapshot.ErrAuth {
		t.Fatalf("poll with revoked token: err = %v, want auth *poller.Error", err)
	}
	pollC100(t, s)
	if n := f.count("oauth/token"); n != 3 {
		t.Fatalf("token requests after a 401 = %d, want 3 (dropped and fetched again)", n)
	}
}

func TestComm100Failures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		oauth    bool
		setup    func(s *Source, f *fakeComm100)
		wantKind snapshot.ErrorKind
		wantOp   string
	}{
		{"wrong api key", false, func(s *Source, _ *fakeComm100) { s.auth.(*comm100APIKey).key = "nope-SECRET" }, snapshot.ErrAuth, "comm100 global/departments"},
		{"wrong password", true, func(s *Source, _ *fakeComm100) { s.auth.(*comm100OAuth).form.Set("password", "nope-SECRET") }, snapshot.ErrAuth, "comm100 oauth/token"},
		{"queue 503", false, func(_ *Source, f *fakeComm100) { f.force("livechat/realTime/Queue", 503) }, snapshot.ErrServer, "comm100 realTime/Queue"},
		{"today garbage", false, func(_ *Source, f *fakeComm100) { f.bodies["livechat/realTime/Today"] = `{"chats":` }, snapshot.ErrBadResponse, "comm100 realTime/Today"},
		{"rightnow null", false, func(_ *Source, f *fakeComm100) { f.bodies["livechat/realTime/RightNow"] = `null` }, snapshot.ErrBadResponse, "comm100 realTime/RightNow"},
		{"agents without list", false, func(_ *Source, f *fakeComm100) { f.bodies["livechat/realTime/Agents"] = `{"total":1}` }, snapshot.ErrBadResponse, "comm100 realTime/Agents"},
		{"departments 403", false, func(_ *Source, f *fakeComm100) { f.force("global/departments", 403) }, snapshot.ErrAuth, "comm100 global/departments"},
		{"agents 404", false, func(_ *Source, f *fakeComm100) { f.force("livechat/realTime/Agents", 404) }, snapshot.ErrRequest, "comm100 realTime/Agents"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, srv := newFakeComm100(t, tc.oauth, exampleBodies(t))
			s, _ := newTestComm100(t, srv, tc.oauth)
			tc.setup(s, f)
			_, err := s.Poll(context.Background())
			var pe *poller.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *poller.Error", err)
			}
			if pe.Kind != tc.wantKind || pe.Op != tc.wantOp {
				t.Errorf("kind/op = %s/%q, want %s/%q", pe.Kind, pe.Op, tc.wantKind, tc.wantOp)
			}
			for _, text := range []string{err.Error(), pe.Summary()} {
				if strings.Contains(text, "SECRET") || strings.Contains(text, "siteId") {
					t.Errorf("error text leaks a secret: %q", text)
				}
			}
		})
	}
}

func TestNewComm100Validation(t *testing.T) {
	t.Parallel()
	ok := Config{BaseURL: "https://api15.comm100.io/v4", Email: "a@b.c", SiteID: 1, APIKey: "k"}
	tests := []struct {
		name    string
		edit    func(c *Config)
		wantKey string // the YAML key the error names, relative to the comm100 section
	}{
		{"api key ok", func(c *Config) {}, ""},
		{"oauth ok", func(c *Config) {
			c.APIKey, c.ClientID, c.Password, c.TokenURL = "", "id", "pw", "https://dash15.comm100.io/oauth/token"
		}, ""},
		{"both methods", func(c *Config) { c.ClientID, c.Password = "id", "pw" }, "api_key"},
		{"no credentials", func(c *Config) { c.APIKey = "" }, "api_key"},
		{"oauth without password", func(c *Config) { c.APIKey, c.ClientID, c.TokenURL = "", "id", "https://x/t" }, "password"},
		{"oauth without client id", func(c *Config) { c.APIKey, c.Password, c.TokenURL = "", "pw", "https://x/t" }, "client_id"},
		{"oauth without token url", func(c *Config) { c.APIKey, c.ClientID, c.Password = "", "id", "pw" }, "token_url"},
		{"api key without site", func(c *Config) { c.SiteID = 0 }, "site_id"},
		{"no email", func(c *Config) { c.Email = " " }, "email"},
		{"relative base", func(c *Config) { c.BaseURL = "/v4" }, "base_url"},
		{"base url secret not echoed", func(c *Config) { c.BaseURL = "ftp://u:SECRET@h/v4?k=SECRET" }, "base_url"},
		{"page size too big", func(c *Config) { c.PageSize = 5000 }, "page_size"},
		{"negative ttl", func(c *Config) { c.LookupTTL = -time.Second }, "lookup_ttl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok
			tc.edit(&cfg)
			s, err := New(cfg, &poller.Client{})
			if tc.wantKey == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				if s.ID() != "comm100" || s.Kind() != "comm100" || s.pageSize != 50 || s.ttl != 5*time.Minute {
					t.Errorf("defaults = %q/%q/%d/%v, want comm100/comm100/50/5m", s.ID(), s.Kind(), s.pageSize, s.ttl)
				}
				return
			}
			var fe *field.Error
			if !errors.As(err, &fe) || fe.Path != tc.wantKey {
				t.Fatalf("err = %v, want a field error at %q", err, tc.wantKey)
			}
			for _, goName := range []string{"BaseURL", "TokenURL", "SiteID", "Email", "APIKey", "ClientID", "Password", "PageSize", "LookupTTL"} {
				if strings.Contains(err.Error(), goName) {
					t.Errorf("config error names the Go field %s: %v", goName, err)
				}
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("config error leaks a secret: %v", err)
			}
		})
	}
}

func TestComm100LookupsCached(t *testing.T) {
	t.Parallel()
	f, srv := newFakeComm100(t, false, exampleBodies(t))
	s, _ := newTestComm100(t, srv, false)
	clock := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	pollC100(t, s)
	clock = clock.Add(4 * time.Minute)
	pollC100(t, s)
	if n := f.count("global/departments"); n != 1 {
		t.Fatalf("departments fetched %d times within the TTL, want 1", n)
	}
	clock = clock.Add(2 * time.Minute)
	pollC100(t, s)
	if n := f.count("global/departments"); n != 2 {
		t.Fatalf("departments fetched %d times after the TTL, want 2", n)
	}
	if n := f.count("livechat/agents"); n != 0 {
		t.Errorf("livechat/agents fetched %d times though every status id was known, want 0", n)
	}
}

// TestComm100OddNumberIsUnknown: one figure the vendor cannot fill ("n/a" where a
// number belongs) shows as unknown and the rest of the poll goes on — the shared
// poller.Num policy (it used to fail the whole poll for Comm100).
func TestComm100OddNumberIsUnknown(t *testing.T) {
	t.Parallel()
	bodies := exampleBodies(t)
	bodies["livechat/realTime/Today"] = `{"chatRequests":"n/a","chats":12,"missedChats":{"x":1}}`
	_, srv := newFakeComm100(t, false, bodies)
	s, _ := newTestComm100(t, srv, false)
	p := pollC100(t, s)
	today := p.Accounts[0].Today
	if today.ChatRequests.Known() || today.Missed.Known() {
		t.Errorf("odd figures known: requests %v missed %v, want unknown", today.ChatRequests, today.Missed)
	}
	if got := today.Chats.Or(-1); got != 12 {
		t.Errorf("chats = %d, want 12 (the good figure next to the odd one)", got)
	}
	if len(p.Agents) == 0 {
		t.Error("the rest of the poll is missing")
	}
}
