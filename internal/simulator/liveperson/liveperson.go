package liveperson

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// server is the LivePerson side of a simulator: its routes read the floor through
// the embedded *simulator.Simulator and keep their own Sentinel tokens.
type server struct {
	*simulator.Simulator
	cfg    simulator.Config
	tokens *simulator.Tokens
}

func (s *server) clock() time.Time { return s.RealNow() }

// Routes adds the LivePerson endpoints: the Domain API and Sentinel (no data auth),
// and the data APIs behind lpAuth. Every service is served on this host; the Domain
// API says so. Pass it to simulator.Simulator.Handler.
func Routes(sim *simulator.Simulator, mux *http.ServeMux) {
	s := &server{Simulator: sim, cfg: sim.Config(), tokens: simulator.NewTokens()}
	mux.HandleFunc("GET /api/account/{account}/service/baseURI.json", s.handleLPDomain)
	mux.HandleFunc("GET /api/account/{account}/service/{service}/baseURI.json", s.handleLPDomain)
	mux.HandleFunc("POST /sentinel/api/v2/account/{account}/app/token", s.handleLPToken)

	ops := "/operations/api/account/{account}/"
	mux.HandleFunc("GET "+ops+"queuehealth", s.lpAuth(s.handleLPQueueHealth))
	mux.HandleFunc("GET "+ops+"queuestate", s.lpAuth(s.handleLPQueueState))
	mux.HandleFunc("GET "+ops+"engactivity", s.lpAuth(s.handleLPEngActivity))
	mux.HandleFunc("GET "+ops+"sla", s.lpAuth(s.handleLPSLA))
	mux.HandleFunc("GET "+ops+"agentactivity", s.lpAuth(s.handleLPAgentActivity))
	mux.HandleFunc("POST "+ops+"agentactivity", s.lpAuth(s.handleLPAgentActivity))
	mux.HandleFunc("GET "+ops+"msgqueuehealth/current/", s.lpAuth(s.handleLPMsgQueueHealth))
	mux.HandleFunc("GET "+ops+"msgconversation", s.lpAuth(s.handleLPMsgConversation))
	mux.HandleFunc("GET "+ops+"msgcsatdistribution", s.lpAuth(s.handleLPCSATDistribution))
	mux.HandleFunc("GET /lp-messaging-ewt-app/api/account/{account}/ewt", s.lpAuth(s.handleLPEWT))
	mux.HandleFunc("POST /manager_workspace/api/account/{account}/metrics", s.lpAuth(s.handleLPKMMMetrics))
	mux.HandleFunc("POST /manager_workspace/api/account/{account}/agent_view", s.lpAuth(s.handleLPAgentView))
	mux.HandleFunc("POST /messaging_history/api/account/{account}/agent-view/status", s.lpAuth(s.handleLPAgentStatus))
	mux.HandleFunc("POST /messaging_history/api/account/{account}/conversations/search", s.lpAuth(s.handleMIConversations))
	mux.HandleFunc("POST /interaction_history/api/account/{account}/interactions/search", s.lpAuth(s.handleEHInteractions))
	mux.HandleFunc("GET /api/account/{account}/configuration/le-users/skills", s.lpAuth(s.handleLPSkills))
	mux.HandleFunc("GET /api/account/{account}/configuration/le-agents/status-reasons", s.lpAuth(s.handleLPReasons))
}

// lpWindow reads the documented timeframe/interval parameters: v and timeframe
// required, timeframe ≤ 1440, interval ≥ 5, ≤ timeframe and a divisor of it.
func lpWindow(r *http.Request, needTimeframe bool) (timeframe, interval int, msg string) {
	q := r.URL.Query()
	if q.Get("v") == "" {
		return 0, 0, "v is required"
	}
	if tf := q.Get("timeframe"); tf != "" || needTimeframe {
		n, err := strconv.Atoi(tf)
		if err != nil || n < 1 || n > 1440 {
			return 0, 0, "timeframe must be 1..1440"
		}
		timeframe = n
	}
	if iv := q.Get("interval"); iv != "" {
		n, err := strconv.Atoi(iv)
		if err != nil || n < 5 || n > timeframe || timeframe%n != 0 {
			return 0, 0, "interval must be at least 5 and divide timeframe"
		}
		interval = n
	}
	return timeframe, interval, ""
}

// lpChatSkills and lpMsgSkills are the LP skills serving each channel.
func lpSkills(wd *simulator.World, ch snapshot.Channel) []*simulator.Skill {
	var out []*simulator.Skill
	for _, sk := range wd.SkillsOf(simulator.VendorLivePerson) {
		if sk.Serves(ch) {
			out = append(out, sk)
		}
	}
	return out
}

// freeSlots is the skill's free capacity among online agents now.
func freeSlots(wd *simulator.World, skill string) int {
	n := 0
	for _, a := range wd.AgentsOf(simulator.VendorLivePerson) {
		if a.Status == simulator.StatusOnline && a.Serves(skill) {
			n += max(a.MaxChats-len(a.Open), 0)
		}
	}
	return n
}

// lpWindowStats counts a skill's events on channel ch in (from, to].
type lpWindowStats struct {
	entered, answered, abandoned, closed int
	waitSum                              time.Duration
	waits                                []time.Duration
	closedBy                             map[string]int // agent -> closed contacts
}

func windowStats(wd *simulator.World, skill string, ch snapshot.Channel, from time.Time) lpWindowStats {
	st := lpWindowStats{closedBy: map[string]int{}}
	for _, e := range wd.EventsSince(from) {
		if e.Vendor != simulator.VendorLivePerson || e.Channel != ch || !e.At.After(from) || (skill != "" && e.Skill != skill) {
			continue
		}
		switch e.Kind {
		case simulator.EventArrived:
			st.entered++
		case simulator.EventAnswered:
			st.answered++
			st.waitSum += e.Wait
			st.waits = append(st.waits, e.Wait)
		case simulator.EventAbandoned:
			st.abandoned++
		case simulator.EventClosed:
			st.closed++
			if e.Agent != "" {
				st.closedBy[e.Agent]++
			}
		}
	}
	return st
}

func waitingLongest(wd *simulator.World, skill string, ch snapshot.Channel) (n int, longest time.Duration) {
	for _, c := range wd.WaitingIn(skill, string(ch)) {
		n++
		longest = max(longest, wd.Now.Sub(c.Arrived))
	}
	return n, longest
}

func writeLP400(w http.ResponseWriter, msg string) {
	simulator.WriteError(w, http.StatusBadRequest, msg)
}
