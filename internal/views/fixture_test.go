package views

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// fixtureNow is the fixed "server clock" of every fixture.
var fixtureNow = time.Date(2026, 3, 10, 14, 32, 0, 0, time.UTC)

var skillNames = []string{
	"Sales", "Billing", "Technical Support", "Returns & Refunds", "VIP Customers", "Spanish",
	"French", "Onboarding", "Retention", "Claims", "Shipping & Delivery", "Business Accounts",
	"Mobile App", "Payments", "Fraud", "Loyalty", "Partners", "German", "Warranty", "Escalations",
}

var firstNames = []string{"Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo", "Sofia", "Lucas", "Mia", "Ethan",
	"Amara", "Yusuf", "Chloé", "Hiro", "Priya", "Diego", "Zoë", "Kwame", "Ingrid", "Tomás"}
var lastNames = []string{"Johnson", "Garcia", "Müller", "Nguyen", "Okafor", "Rossi", "Kowalski", "Tanaka",
	"Silva", "Dubois", "Patel", "O'Brien", "Larsen", "Haddad", "Kim", "Novak"}

var reasons = []string{"Lunch", "Break", "Meeting", "Training", "Coaching"}

// fixture builds a realistic, deterministic snapshot: nSkills skills across two
// sources (Comm100 departments with chat; LivePerson skills, every third one with
// chat AND messaging), nAgents agents in every state, both accounts, healthy sources.
func fixture(tb testing.TB, nSkills, nAgents int) *snapshot.Snapshot {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(nSkills), uint64(nAgents)))
	var c100, lp snapshot.Part
	c100.Source, lp.Source = "comm100", "lp-main"
	keys := make([]string, 0, nSkills)
	for i := range nSkills {
		name := skillNames[i%len(skillNames)]
		if i >= len(skillNames) {
			name = fmt.Sprintf("%s %d", name, i/len(skillNames)+1)
		}
		src, part := "comm100", &c100
		if i%2 == 1 {
			src, part = "lp-main", &lp
		}
		id := fmt.Sprint(1000 + i)
		sk := snapshot.Skill{Key: snapshot.Key(src, id), ID: id, Source: src, Name: name}
		sk.Queues = append(sk.Queues, queue(r, snapshot.Chat))
		if src == "lp-main" && i%3 == 0 {
			sk.Queues = append(sk.Queues, queue(r, snapshot.Messaging))
		}
		part.Skills = append(part.Skills, sk)
		keys = append(keys, sk.Key)
	}
	for i := range nAgents {
		src, part := "comm100", &c100
		if i%3 == 2 {
			src, part = "lp-main", &lp
		}
		id := fmt.Sprint(5000 + i)
		a := snapshot.Agent{
			Key: snapshot.Key(src, id), ID: id, Source: src,
			Name:  firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames)+i)%len(lastNames)],
			Since: fixtureNow.Add(-time.Duration(30+r.IntN(3600)) * time.Second),
			Open:  snapshot.Some(int64(r.IntN(4))), MaxSlots: snapshot.Some(int64(3)),
			HandledToday: snapshot.Some(int64(r.IntN(40))),
		}
		switch p := r.IntN(100); {
		case p < 35:
			a.State = snapshot.Available
		case p < 70:
			a.State = snapshot.Busy
			a.Open = snapshot.Some(int64(3))
		case p < 78:
			a.State = snapshot.BackSoon
			a.Reason = "Back in 5"
		case p < 90:
			a.State = snapshot.Away
			a.Reason = reasons[r.IntN(len(reasons))]
		default:
			a.State, a.Open = snapshot.Offline, snapshot.None[int64]()
		}
		if a.State != snapshot.Offline {
			a.Load = snapshot.Some(float64(a.Open.Or(0)) / 3)
		}
		// Each agent serves two or three skills of their own source.
		for j := 0; j < 3 && len(keys) > 0; j++ {
			k := keys[(i+j*7)%len(keys)]
			if k[:len(src)] == src && (len(a.Skills) == 0 || a.Skills[len(a.Skills)-1] != k) {
				a.Skills = append(a.Skills, k)
			}
		}
		if len(a.Skills) == 0 && len(keys) > 0 {
			a.Skills = []string{keys[0]}
		}
		part.Agents = append(part.Agents, a)
	}
	c100.Accounts = []snapshot.Account{{
		Source: "comm100",
		Today: snapshot.Today{
			ChatRequests: snapshot.Some(int64(1284)), Chats: snapshot.Some(int64(1187)), Abandoned: snapshot.Some(int64(61)),
			Missed: snapshot.Some(int64(12)), Transferred: snapshot.Some(int64(44)), AvgWait: snapshot.Some(38 * time.Second),
			AvgChatTime: snapshot.Some(7*time.Minute + 12*time.Second), AcceptanceRate: snapshot.Some(0.962),
			AgentUtilization: snapshot.Some(0.74), AvgScore: snapshot.Some(4.6),
		},
		RightNow: snapshot.RightNow{
			LoggedInAgents: snapshot.Some(int64(41)), AgentsInChat: snapshot.Some(int64(29)), Ongoing: snapshot.Some(int64(57)),
			OngoingWithAgent: snapshot.Some(int64(51)), OngoingWithBot: snapshot.Some(int64(6)), QueueLength: snapshot.Some(int64(9)),
			VisitorsOnSite: snapshot.Some(int64(312)), Utilization: snapshot.Some(0.71),
		},
	}}
	statuses := []snapshot.SourceStatus{
		{ID: "comm100", Kind: "comm100", LastSuccess: fixtureNow.Add(-3 * time.Second), LastAttempt: fixtureNow.Add(-3 * time.Second), Requests: 420},
		{ID: "lp-main", Kind: "liveperson", LastSuccess: fixtureNow.Add(-6 * time.Second), LastAttempt: fixtureNow.Add(-6 * time.Second), Requests: 380},
	}
	return snapshot.Merge(nil, []snapshot.Part{c100, lp}, statuses, fixtureNow)
}

func queue(r *rand.Rand, ch snapshot.Channel) snapshot.Queue {
	waiting := int64(r.IntN(9))
	return snapshot.Queue{
		Channel:            ch,
		Waiting:            snapshot.Some(waiting),
		LongestWait:        snapshot.Some(time.Duration(waiting*int64(5+r.IntN(30))) * time.Second),
		AvgWait30m:         snapshot.Some(time.Duration(5+r.IntN(70)) * time.Second),
		AvgWait60m:         snapshot.Some(time.Duration(5+r.IntN(60)) * time.Second),
		Abandoned30m:       snapshot.Some(int64(r.IntN(6))),
		AbandonRate:        snapshot.Some(float64(r.IntN(14)) / 100),
		Handled:            snapshot.Some(int64(20 + r.IntN(200))),
		ServiceLevel:       snapshot.Some(0.5 + float64(r.IntN(50))/100),
		ServiceLevelTarget: snapshot.Some(30 * time.Second),
	}
}

// failing marks source id as failing since its last success with a 503.
func failing(s *snapshot.Snapshot, id string) *snapshot.Snapshot {
	out := *s
	out.Sources = append([]snapshot.SourceStatus(nil), s.Sources...)
	for i := range out.Sources {
		if out.Sources[i].ID == id {
			out.Sources[i].ConsecutiveFailures = 3
			out.Sources[i].LastError = &snapshot.SourceError{Kind: snapshot.ErrServer, Text: "503 from realTime/Queue", At: fixtureNow}
		}
	}
	return &out
}
