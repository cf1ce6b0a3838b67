package liveperson

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Contract tests: every documented LivePerson example goes through the parser of its
// method into a snapshot.Part, and the figures come out with the right values and
// units. Values are read off the fixture files by hand.

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func lpTestBuild() *lpBuild { return newLPBuild("lp", 60, 30, time.Unix(1700000000, 0)) }

func partSkill(t *testing.T, p snapshot.Part, id string) snapshot.Skill {
	t.Helper()
	for _, s := range p.Skills {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("skill %s not in part (have %d skills)", id, len(p.Skills))
	return snapshot.Skill{}
}

func partQueue(t *testing.T, p snapshot.Part, id string, ch snapshot.Channel) snapshot.Queue {
	t.Helper()
	q, ok := partSkill(t, p, id).Queue(ch)
	if !ok {
		t.Fatalf("skill %s has no %s queue", id, ch)
	}
	return q
}

func partAgent(t *testing.T, p snapshot.Part, id string) snapshot.Agent {
	t.Helper()
	for _, a := range p.Agents {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("agent %s not in part", id)
	return snapshot.Agent{}
}

func eqOpt[T comparable](t *testing.T, what string, got snapshot.Opt[T], want any) {
	t.Helper()
	g, ok := got.Get()
	if want == nil {
		if ok {
			t.Errorf("%s = %v, want unknown", what, g)
		}
		return
	}
	if !ok {
		t.Errorf("%s unknown, want %v", what, want)
		return
	}
	if any(g) != want {
		t.Errorf("%s = %v, want %v", what, g, want)
	}
}

func TestLPContractQueueHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		timeframe, interval int
		body                string
		check               func(t *testing.T, p snapshot.Part)
	}{
		{name: "documented example, per-skill currentQueueState", timeframe: 60, interval: 60, body: string(fixture(t, "lp-oprt_queuehealth_1.json")),
			check: func(t *testing.T, p snapshot.Part) {
				q := partQueue(t, p, "199", snapshot.Chat)
				eqOpt(t, "199 waiting", q.Waiting, int64(78))
				eqOpt(t, "199 slots", q.AvailableSlots, int64(5))
				eqOpt(t, "199 handled", q.Handled, int64(3))
				eqOpt(t, "199 abandon rate", q.AbandonRate, 0.4)
				// 7 s over 3 chats, not the truncated avgTimeToAnswer 0.
				eqOpt(t, "199 avg wait 60m", q.AvgWait60m, snapshot.Seconds(7.0/3).Or(-1))
				eqOpt(t, "199 avg wait 30m", q.AvgWait30m, nil)
				q = partQueue(t, p, "200", snapshot.Chat)
				eqOpt(t, "200 waiting", q.Waiting, int64(14))
				eqOpt(t, "200 abandon rate", q.AbandonRate, 0.6)
				eqOpt(t, "account queue (totals spell currentQueueSize)", p.Accounts[0].RightNow.QueueLength, int64(92))
			}},
		{name: "intervals with and without metricsData, newest first", timeframe: 60, interval: 30, body: `{
			"metricsByIntervals":[
			  {"timestamp":1700001800000,"metricsData":{"skillsMetrics":{"5":{"abandonedEng":4,"connectedEng":2,"totalTimeToAnswer":30,"currentQueueSize":-1}}}},
			  {"timestamp":1700000000000,"skillsMetrics":{"5":{"abandonedEng":9,"connectedEng":1,"totalTimeToAnswer":99}}}],
			"skillsMetrics":{"5":{"abandonedEng":13,"connectedEng":3,"totalTimeToAnswer":129,"currentQueueSize":2,"currentAvailableSlots":-1,"extra":{"x":1}}},
			"metricsTotals":{"currentQueueSize":2}}`,
			check: func(t *testing.T, p snapshot.Part) {
				q := partQueue(t, p, "5", snapshot.Chat)
				eqOpt(t, "abandoned 30m (latest interval)", q.Abandoned30m, int64(4))
				eqOpt(t, "avg wait 30m", q.AvgWait30m, 15*time.Second)
				eqOpt(t, "avg wait 60m", q.AvgWait60m, 43*time.Second)
				eqOpt(t, "waiting", q.Waiting, int64(2))
				eqOpt(t, "slots -1", q.AvailableSlots, nil)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newLPBuild("lp", tc.timeframe, tc.interval, time.Now())
			if err := b.queueHealth([]byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			tc.check(t, b.part())
		})
	}
}

func TestLPContractQueueState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		skill   string
		waiting any
		slots   any
		longest any
		total   int64
	}{
		{file: "lp-oprt_queuestate_1.json", skill: "4", waiting: int64(20), slots: int64(27), longest: nil, total: 54},
		{file: "lp-oprt_queuestate_2.json", skill: "2", waiting: int64(14), slots: int64(11), longest: nil, total: 19},
		{file: "lp-oprt_queuestate_3.json", skill: "100", waiting: nil, slots: nil, longest: nil, total: 5},
		{file: "lp-oprt_queuestate_4.json", skill: "4", waiting: int64(0), slots: int64(27), longest: nil, total: 34},
		{file: "lp-oprt_queuestate_5.json", skill: "2", waiting: int64(14), slots: int64(11), longest: 75388 * time.Millisecond, total: 34},
		// v2, nobody waiting: -1 max wait means an empty queue, shown as zero.
		{file: "lp-oprt_queuestate_5.json", skill: "4", waiting: int64(0), slots: int64(27), longest: time.Duration(0), total: 34},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.skill, func(t *testing.T) {
			t.Parallel()
			b := lpTestBuild()
			if err := b.queueState(fixture(t, tc.file)); err != nil {
				t.Fatal(err)
			}
			p := b.part()
			q := partQueue(t, p, tc.skill, snapshot.Chat)
			eqOpt(t, "waiting", q.Waiting, tc.waiting)
			eqOpt(t, "slots", q.AvailableSlots, tc.slots)
			eqOpt(t, "longest", q.LongestWait, tc.longest)
			eqOpt(t, "account queue", p.Accounts[0].RightNow.QueueLength, tc.total)
		})
	}
}

func TestLPContractQueueStateOverridesHealth(t *testing.T) {
	t.Parallel()
	b := lpTestBuild()
	if err := b.queueHealth(fixture(t, "lp-oprt_queuehealth_1.json")); err != nil {
		t.Fatal(err)
	}
	if err := b.queueState([]byte(`{"skills":{"199":{"currentQueueSize":3,"currentAvailableSlots":-1,"currentMaxWaitTimeInQueue":4000}}}`)); err != nil {
		t.Fatal(err)
	}
	q := partQueue(t, b.part(), "199", snapshot.Chat)
	eqOpt(t, "waiting (queuestate wins)", q.Waiting, int64(3))
	eqOpt(t, "slots (-1 keeps queuehealth's)", q.AvailableSlots, int64(5))
	eqOpt(t, "longest", q.LongestWait, 4*time.Second)
}

func TestLPContractSLA(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target time.Duration
		want   float64
	}{
		{target: 30 * time.Second, want: 1},
		{target: 20 * time.Second, want: 0.8}, // buckets 0,5,10 hold 4 of 5 chats
		{target: 10 * time.Second, want: 0.8},
		{target: 5 * time.Second, want: 0.4},
	}
	for _, tc := range tests {
		t.Run(tc.target.String(), func(t *testing.T) {
			t.Parallel()
			b := lpTestBuild()
			if err := b.sla("7", tc.target, fixture(t, "lp-oprt_sla_1.json")); err != nil {
				t.Fatal(err)
			}
			q := partQueue(t, b.part(), "7", snapshot.Chat)
			eqOpt(t, "service level", q.ServiceLevel, tc.want)
			if q.ServiceLevelTarget != snapshot.Some(tc.target) {
				t.Errorf("target = %v, want %v", q.ServiceLevelTarget, tc.target)
			}
		})
	}
	b := lpTestBuild()
	if err := b.sla("7", 30*time.Second, []byte(`{"slaDataRange":{}}`)); err != nil {
		t.Fatal(err)
	}
	eqOpt(t, "no chats", partQueue(t, b.part(), "7", snapshot.Chat).ServiceLevel, nil)
}

// withAgent seeds an agent so per-agent figures have someone to land on.
func withAgent(b *lpBuild, id string) *lpBuild {
	b.agent(id).a.State = snapshot.Available
	return b
}

func TestLPContractEngActivity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		agent string
		want  any
	}{
		{file: "lp-oprt_engactivity_1.json", agent: "3", want: int64(1)}, // skillsMetricsPerAgent only
		{file: "lp-oprt_engactivity_2.json", agent: "3", want: int64(1)}, // agentsMetrics wins
		{file: "lp-oprt_engactivity_3.json", agent: "3", want: nil},      // account totals only
		{file: "lp-oprt_engactivity_4.json", agent: "3", want: nil},      // no data
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			b := withAgent(lpTestBuild(), tc.agent)
			if err := b.engActivity(fixture(t, tc.file)); err != nil {
				t.Fatal(err)
			}
			eqOpt(t, "handled", partAgent(t, b.part(), tc.agent).HandledToday, tc.want)
		})
	}
	// The field table's spelling skillsMetrics is read like skillsMetricsPerAgent.
	b := withAgent(lpTestBuild(), "3")
	alt := strings.Replace(string(fixture(t, "lp-oprt_engactivity_1.json")), "skillsMetricsPerAgent", "skillsMetrics", 1)
	if err := b.engActivity([]byte(alt)); err != nil {
		t.Fatal(err)
	}
	eqOpt(t, "handled (skillsMetrics spelling)", partAgent(t, b.part(), "3").HandledToday, int64(1))
}

func TestLPContractMsgQueueHealth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		skill   string
		waiting any
		longest any
		overdue any
		total   any
	}{
		{name: "current example", body: string(fixture(t, "lp-msgops_msgqueuehealth-current_1.json")), skill: "12",
			waiting: int64(34), longest: 274 * time.Millisecond, overdue: int64(2), total: int64(36)},
		{name: "current example skill 13", body: string(fixture(t, "lp-msgops_msgqueuehealth-current_1.json")), skill: "13",
			waiting: int64(2), longest: 370 * time.Millisecond, overdue: int64(1), total: int64(36)},
		{name: "history example without overdue", body: string(fixture(t, "lp-msgops_msgqueuehealth_1.json")), skill: "12",
			waiting: int64(34), longest: 274 * time.Millisecond, overdue: nil, total: int64(36)},
		{name: "metricsTotals spelling, -1 and overdue parts", skill: "9",
			body:    `{"skillsMetrics":{"9":{"unassignedConversations":0,"maxWaitTimeForAgentAssignment":-1,"overdueConversationsInQueue":1,"overdueConversationsAssigned":2}},"metricsTotals":{"unassignedConversations":0}}`,
			waiting: int64(0), longest: time.Duration(0), overdue: int64(3), total: int64(0)},
		{name: "interval form, latest interval wrapped in metricsData", skill: "9",
			body: `{"metricsByIntervals":[{"timestamp":1,"skillsMetrics":{"9":{"unassignedConversations":5}}},
				{"timestamp":2,"metricsData":{"skillsMetrics":{"9":{"unassignedConversations":7}},"metricsTotal":{"unassignedConversations":7}}}]}`,
			waiting: int64(7), longest: nil, overdue: nil, total: int64(7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := lpTestBuild()
			if err := b.msgQueueHealth([]byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			p := b.part()
			q := partQueue(t, p, tc.skill, snapshot.Messaging)
			eqOpt(t, "waiting", q.Waiting, tc.waiting)
			eqOpt(t, "longest", q.LongestWait, tc.longest)
			eqOpt(t, "overdue", q.Overdue, tc.overdue)
			eqOpt(t, "account queue", p.Accounts[0].RightNow.QueueLength, tc.total)
			if _, ok := partSkill(t, p, tc.skill).Queue(snapshot.Chat); ok {
				t.Errorf("messaging answer created a chat queue")
			}
		})
	}
}

func TestLPContractEWT(t *testing.T) {
	t.Parallel()
	b := lpTestBuild()
	if err := b.ewt(fixture(t, "lp-msgops_ewt_1.json")); err != nil {
		t.Fatal(err)
	}
	p := b.part()
	eqOpt(t, "skill 2 (-1)", partQueue(t, p, "2", snapshot.Messaging).EstimatedWait, nil)
	eqOpt(t, "skill 3 (seconds)", partQueue(t, p, "3", snapshot.Messaging).EstimatedWait, 10*time.Second)
}

func TestLPContractMsgConversation(t *testing.T) {
	t.Parallel()
	b := withAgent(withAgent(lpTestBuild(), "2"), "6")
	body := fixture(t, "lp-msgops_msgconversation_1.json")
	if err := b.msgConversation(body); err != nil {
		t.Fatal(err)
	}
	p := b.part()
	eqOpt(t, "skill 3 resolved", partQueue(t, p, "3", snapshot.Messaging).Handled, int64(103))
	// The timeframe answer counts per skill only: agents' handled is the day's.
	eqOpt(t, "agent 2 resolved (timeframe)", partAgent(t, p, "2").HandledToday, nil)
	if err := b.todayResolved(body); err != nil {
		t.Fatal(err)
	}
	p = b.part()
	eqOpt(t, "agent 2 resolved today", partAgent(t, p, "2").HandledToday, int64(103))
	eqOpt(t, "account resolved today", p.Accounts[0].Today.Resolved, int64(103))
	// agentsMetrics is authoritative for agents; agent 6 only appears per skill.
	eqOpt(t, "agent 6 resolved", partAgent(t, p, "6").HandledToday, nil)
}

func TestLPContractKMMMetrics(t *testing.T) {
	t.Parallel()
	body := fixture(t, "lp-kmm_metrics_1.json")
	t.Run("agentGroupId groups are not skills", func(t *testing.T) {
		t.Parallel()
		b := lpTestBuild()
		n, err := b.kmmMetrics(body)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("count = %d, want 3", n)
		}
		if p := b.part(); len(p.Skills) != 0 {
			t.Errorf("skills = %d, want 0", len(p.Skills))
		}
	})
	t.Run("grouped by skillId", func(t *testing.T) {
		t.Parallel()
		b := lpTestBuild()
		bySkill := strings.Replace(string(body), `"agentGroupId"`, `"skillId"`, 1)
		if _, err := b.kmmMetrics([]byte(bySkill)); err != nil {
			t.Fatal(err)
		}
		p := b.part()
		sk := partSkill(t, p, "1641709730")
		if sk.Name != "customerAssistanceSkill" {
			t.Errorf("name = %q", sk.Name)
		}
		q := partQueue(t, p, "1641709730", snapshot.Messaging)
		eqOpt(t, "ongoing", q.Ongoing, int64(6))
		eqOpt(t, "handled", q.Handled, int64(1))
		eqOpt(t, "avg wait 60m (ms)", q.AvgWait60m, time.Duration(228876.654*float64(time.Millisecond)))
	})
}

func TestLPContractKMMAgentView(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want snapshot.Agent
	}{
		{name: "documented example", body: string(fixture(t, "lp-kmm_agentview_1.json")), want: snapshot.Agent{
			ID: "2434634412", Name: "test@liveperson.com", State: snapshot.Available,
			Since: time.UnixMilli(1597063917599).UTC(), Load: snapshot.Some(0.133), Open: snapshot.Some[int64](4), MaxSlots: snapshot.Some[int64](30),
			HandledToday: snapshot.None[int64](), Skills: []string{"lp:2434921912", "lp:3662292910"}}},
		{name: "agentCurrentStatusReason spelling, load in percent", body: `{"metadata":{"count":1},"agentViewRecords":[
			{"agentId":77,"agentCurrentStatus":"AWAY","agentCurrentStatusReason":"725987412","agentLoad":50,
			 "assignedConversations":1,"maxSlots":2,"closedConversations":9,"agentMetadata":{"agentName":"Ann"}}]}`,
			want: snapshot.Agent{ID: "77", Name: "Ann", State: snapshot.Away, Reason: "another reason text",
				Load: snapshot.Some(0.5), Open: snapshot.Some[int64](1), MaxSlots: snapshot.Some[int64](2), HandledToday: snapshot.Some[int64](9)}},
		{name: "back soon with reason id spelling", body: `{"agentViewRecords":[{"agentId":"8","agentCurrentStatus":"BACK_SOON","agentCurrentStatusReasonId":"725987312"}]}`,
			want: snapshot.Agent{ID: "8", Name: "8", State: snapshot.BackSoon, Reason: "some reason text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := lpTestBuild()
			if err := b.configReasons(fixture(t, "lp-acconfig_statusreasons_1.json")); err != nil {
				t.Fatal(err)
			}
			if _, err := b.kmmAgentView([]byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			checkAgent(t, partAgent(t, b.part(), tc.want.ID), tc.want)
		})
	}
}

func checkAgent(t *testing.T, got, want snapshot.Agent) {
	t.Helper()
	if got.Name != want.Name || got.State != want.State || got.Reason != want.Reason || !got.Since.Equal(want.Since) {
		t.Errorf("agent = %q %s %q %v, want %q %s %q %v", got.Name, got.State, got.Reason, got.Since, want.Name, want.State, want.Reason, want.Since)
	}
	if got.Load != want.Load || got.Open != want.Open || got.MaxSlots != want.MaxSlots || got.HandledToday != want.HandledToday {
		t.Errorf("agent figures = load %v open %v max %v handled %v, want %v %v %v %v",
			got.Load, got.Open, got.MaxSlots, got.HandledToday, want.Load, want.Open, want.MaxSlots, want.HandledToday)
	}
	if strings.Join(got.Skills, ",") != strings.Join(want.Skills, ",") {
		t.Errorf("skills = %v, want %v", got.Skills, want.Skills)
	}
	if got.Key != "lp:"+want.ID || got.Source != "lp" {
		t.Errorf("key/source = %s/%s", got.Key, got.Source)
	}
}

func TestLPContractAgentMetricsStatus(t *testing.T) {
	t.Parallel()
	b := lpTestBuild()
	if err := b.configSkills([]byte(`[{"id":2,"name":"Cats (config)"},{"id":9,"name":"gone","deleted":true}]`)); err != nil {
		t.Fatal(err)
	}
	n, err := b.agentMetricsStatus(fixture(t, "lp-agentmetrics_status_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
	p := b.part()
	checkAgent(t, partAgent(t, p, "8"), snapshot.Agent{ID: "8", Name: "lital", State: snapshot.Available,
		Since: time.UnixMilli(1490033214963).UTC(), Load: snapshot.Some(0.0), Open: snapshot.Some[int64](0), MaxSlots: snapshot.Some[int64](20),
		Skills: []string{"lp:2", "lp:3", "lp:1"}})
	checkAgent(t, partAgent(t, p, "7"), snapshot.Agent{ID: "7", Name: "michal", State: snapshot.Away,
		Since: time.UnixMilli(1490033214962).UTC(), Load: snapshot.Some(0.0), Open: snapshot.Some[int64](0), MaxSlots: snapshot.Some[int64](20),
		Skills: []string{"lp:2"}})
	if got := b.names["2"]; got != "Cats (config)" {
		t.Errorf("skill 2 name = %q, want the account-config name", got)
	}
	if got := b.names["3"]; got != "lpsocial" {
		t.Errorf("skill 3 name = %q, want the name from the agent record", got)
	}
	eqOpt(t, "logged in", p.Accounts[0].RightNow.LoggedInAgents, int64(2))
}

// TestLPContractAgentActivity reads the documented example: states by id, the Away
// entry whose own total is 0 while its reasons hold 125 s, reasons named from account
// config and longest first.
func TestLPContractAgentActivity(t *testing.T) {
	t.Parallel()
	b := withAgent(withAgent(lpTestBuild(), "2"), "3")
	b.reasons["2642559712"] = "Lunch"
	if err := b.agentActivity(8*time.Hour, fixture(t, "lp-oprt_agentactivity_1.json")); err != nil {
		t.Fatal(err)
	}
	a2, a3 := partAgent(t, b.part(), "2").Activity, partAgent(t, b.part(), "3").Activity
	if a2 == nil || a3 == nil {
		t.Fatalf("activity missing: %v %v", a2, a3)
	}
	eqOpt(t, "2 logged in", a2.LoggedIn, 7200*time.Second)
	eqOpt(t, "2 online", a2.Online, 4714*time.Second)
	eqOpt(t, "2 back soon", a2.BackSoon, 2361*time.Second)
	eqOpt(t, "2 away", a2.Away, 125*time.Second)
	eqOpt(t, "2 chatting", a2.Chatting, 2486*time.Second)
	want := []snapshot.ReasonTime{{Reason: "Lunch", Time: 72 * time.Second}, {Reason: "2642559112", Time: 53 * time.Second}}
	if !slices.Equal(a2.AwayReasons, want) || a2.Window != 8*time.Hour {
		t.Errorf("2 reasons %v window %v, want %v, 8h", a2.AwayReasons, a2.Window, want)
	}
	eqOpt(t, "3 away", a3.Away, time.Duration(0))
	if len(a3.AwayReasons) != 0 {
		t.Errorf("3 reasons = %v, want none", a3.AwayReasons)
	}
	if err := b.agentActivity(time.Hour, []byte(`{"metricsTotals":[]}`)); err == nil {
		t.Error("an answer without agentsMetrics was accepted")
	}
}
