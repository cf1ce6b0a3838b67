package comm100

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Comm100 realTime/Agents paging: pageIndex is 1-based; pageSize defaults to
// defaultPageSize and is cut to maxPageSize (the vendor documents neither; the
// example shows pageSize 5 with 32 agents in 7 pages).
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// server is the Comm100 side of a simulator: its routes read the floor through the
// embedded *simulator.Simulator and keep their own issued tokens.
type server struct {
	*simulator.Simulator
	cfg    simulator.Config
	tokens *simulator.Tokens
}

func (s *server) clock() time.Time { return s.RealNow() }

// Routes registers the Comm100 v4 endpoints (API host under /v4/, token endpoint on
// the dash host under /oauth/): pass it to simulator.Simulator.Handler.
func Routes(sim *simulator.Simulator, mux *http.ServeMux) {
	s := &server{Simulator: sim, cfg: sim.Config(), tokens: simulator.NewTokens()}
	mux.HandleFunc("POST /oauth/token", s.handleComm100Token)
	for path, h := range map[string]http.HandlerFunc{
		"/v4/livechat/realTime/Agents":   s.handleC100RealTimeAgents,
		"/v4/livechat/realTime/Queue":    s.handleC100Queue,
		"/v4/livechat/realTime/Today":    s.handleC100Today,
		"/v4/livechat/realTime/RightNow": s.handleC100RightNow,
		"/v4/global/departments":         s.handleC100Departments,
		"/v4/global/agents":              s.handleC100Agents,
		"/v4/global/agentAwayStatuses":   s.handleC100AwayStatuses,
		"/v4/livechat/agents":            s.handleC100ChatServerAgents,
	} {
		mux.HandleFunc("GET "+path, s.comm100Auth(h))
	}
}

// comm100StatusID is the currentStatusId realTime/Agents reports for a.
func comm100StatusID(a *simulator.Agent) string {
	switch a.Status {
	case simulator.StatusOnline:
		return simulator.Comm100StatusOnline
	case simulator.StatusOffline:
		return simulator.Comm100StatusOffline
	default:
		if a.ReasonID != "" {
			return a.ReasonID
		}
		return simulator.Comm100SystemAway
	}
}

// timeSpan formats d as .NET TimeSpan text: "hh:mm:ss" for zero, otherwise
// "[d.]hh:mm:ss.fffffff" (seven fractional digits, as the vendor example shows).
func timeSpan(d time.Duration) string {
	if d <= 0 {
		return "00:00:00"
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, sec := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	ticks := (d % time.Second) / 100 // .NET ticks are 100 ns
	s := fmt.Sprintf("%02d:%02d:%02d.%07d", h, m, sec, ticks)
	if days > 0 {
		s = fmt.Sprintf("%d.%s", days, s)
	}
	return s
}

// queryInt parses an optional positive integer query parameter.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("parameter %q must be a positive integer", name)
	}
	return n, nil
}

// handleC100RealTimeAgents is GET livechat/realTime/Agents: agents' status, paged,
// optionally for one department.
func (s *server) handleC100RealTimeAgents(w http.ResponseWriter, r *http.Request) {
	page, err := queryInt(r, "pageIndex", 1)
	if err != nil {
		simulator.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	size, err := queryInt(r, "pageSize", defaultPageSize)
	if err != nil {
		simulator.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	// Larger pages are cut to the maximum (and the answer says so in pageSize), so a
	// client that follows pageCount still sees every agent.
	size = min(size, maxPageSize)
	win, err := s.window(r)
	if err != nil {
		simulator.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	q := r.URL.Query()
	dept := q.Get("departmentId")
	withDist := q.Get("includeStatusDistribution") == "true"
	spelling := s.cfg.Comm100Spelling

	var total int
	list := []map[string]any{}
	s.View(func(wd *simulator.World) {
		var agents []*simulator.Agent
		for _, a := range wd.AgentsOf(simulator.VendorComm100) {
			if dept == "" || a.Serves(dept) {
				agents = append(agents, a)
			}
		}
		total = len(agents)
		first := min((page-1)*size, total)
		since := win.from(wd)
		for _, a := range agents[first:min(first+size, total)] {
			ac := wd.ActivitySince(a, since)
			dist := map[string]int{}
			if withDist {
				for st, d := range ac.Status {
					if d > 0 {
						dist[comm100StatusID(&simulator.Agent{Status: simulator.Status(st)})] += int(d / time.Second)
					}
				}
			}
			list = append(list, map[string]any{
				"agentId": a.ID, "displayName": a.Name, "currentStatusId": comm100StatusID(a),
				spelling: len(a.Open), "maxConcurrentChats": a.MaxChats,
				"intradayChats": wd.HandledSince(a.ID, since), "intradayLinearChatTime": timeSpan(ac.Chatting),
				"statusDistribution": dist,
			})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{
		"total": total, "pageCount": (total + size - 1) / size, "list": list,
		"pageIndex": page, "pageSize": size,
	})
}

// handleC100Queue is GET livechat/realTime/Queue: one element per department.
func (s *server) handleC100Queue(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	site := s.cfg.Comm100.SiteID
	s.View(func(wd *simulator.World) {
		for _, sk := range wd.SkillsOf(simulator.VendorComm100) {
			q := wd.QueueFigures(sk.ID, snapshot.Chat)
			visitors := []map[string]any{}
			for _, c := range wd.WaitingIn(sk.ID, string(snapshot.Chat)) {
				visitors = append(visitors, map[string]any{
					"visitorId": c.VisitorID, "contactIdentityId": c.ID,
					"waitTime": int(wd.Now.Sub(c.Arrived) / time.Second),
				})
			}
			capacity := 0
			for _, a := range wd.AgentsOf(simulator.VendorComm100) {
				if a.Status == simulator.StatusOnline && a.Serves(sk.ID) {
					capacity += a.MaxChats
				}
			}
			out = append(out, map[string]any{
				"routeToDepartmentId": sk.ID,
				"routeToDepartment": map[string]any{
					"id": sk.ID, "siteId": site, "name": sk.Name, "description": sk.Name + " department",
					"isAvailableInLiveChat": true, "isAvailableInTicketingAndMessaging": true, "isDeleted": false,
				},
				"routeToAgentId": nil, "routeToAgent": nil,
				"ongoingChats": q.Ongoing, "maxConcurrentChats": capacity,
				"currentQueueLength":         q.Waiting,
				"avgWaitTimeinLast30Mins":    int(q.AvgWait30m / time.Second),
				"avgWaitTimeinLast60Mins":    int(q.AvgWait60m / time.Second),
				"abandonedChatsinLast30Mins": q.Abandoned30m, "switchedtoMessagesinLast30Mins": q.Switched30m,
				"visitors": visitors,
			})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

// ratio returns a/b rounded to 4 decimals, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(a/b*1e4) / 1e4
}

// avgSeconds returns sum/n in seconds (2 decimals), 0 when n is 0.
func avgSeconds(sum time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(sum.Seconds()/float64(n)*100) / 100
}

// handleC100Today is GET livechat/realTime/Today: the site's day so far (since
// startTime when given), with the seed's field names (including the vendor's
// "abandondedChats"). chatRequests counts new visitors; totalChats adds chats
// transferred in from another department. Rates are ratios 0..1; times are seconds.
func (s *server) handleC100Today(w http.ResponseWriter, r *http.Request) {
	win, err := s.window(r)
	if err != nil {
		simulator.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	var d simulator.DayStats
	s.View(func(wd *simulator.World) {
		if win.length == 0 {
			d = wd.TodayOf(simulator.VendorComm100)
			return
		}
		d = wd.DaySince(simulator.VendorComm100, win.from(wd))
	})
	ended := float64(d.Answered + d.Abandoned + d.Switched)
	simulator.WriteJSON(w, http.StatusOK, map[string]any{
		"avgWaitingTime":             avgSeconds(d.WaitSum, d.Answered),
		"totalChats":                 d.Offered,
		"chatRequests":               d.Requests,
		"abandondedChats":            d.Abandoned,
		"switchedToMessageChats":     d.Switched,
		"uniqueChatRate":             ratio(float64(d.UniqueChats), float64(d.Answered)),
		"avgScore":                   ratio(float64(d.ScoreSum), float64(d.ScoreCount)),
		"serviceAccessibilityRate":   ratio(float64(d.Answered), ended),
		"acceptedInvitations":        d.Invitations,
		"departmentTransferredChats": d.Transferred,
		"missedChats":                d.Missed,
		"chatAcceptanceRate":         ratio(float64(d.Answered), float64(d.Answered+d.Missed)),
		"totalTransferredChats":      d.Transferred,
		"agentAvgResponseTime":       avgSeconds(d.ResponseSum, d.Answered),
		"chats":                      d.Answered,
		"avgChatTime":                avgSeconds(d.ChatTimeSum, d.Closed),
		"agentUtilization":           ratio(float64(d.BusySlotTime), float64(d.SlotTime)),
	})
}

// handleC100RightNow is GET livechat/realTime/RightNow. chatUtilization is an integer
// percent (the seed types it int): ongoing chats over online agents' capacity.
// visitorOnSite models browsers as about 15 minutes of arrivals plus everyone in
// chat or queue. The simulated site has no chatbot, so ongoingChatsWithBot is 0.
func (s *server) handleC100RightNow(w http.ResponseWriter, _ *http.Request) {
	var loggedIn, inChat, ongoing, waiting, capacity int
	var rate float64
	s.View(func(wd *simulator.World) {
		for _, a := range wd.AgentsOf(simulator.VendorComm100) {
			if a.Status != simulator.StatusOffline {
				loggedIn++
			}
			if len(a.Open) > 0 {
				inChat++
			}
			if a.Status == simulator.StatusOnline {
				capacity += a.MaxChats
			}
			ongoing += len(a.Open)
		}
		for _, c := range wd.Waiting {
			if c.Vendor == simulator.VendorComm100 {
				waiting++
			}
		}
		for _, sk := range wd.SkillsOf(simulator.VendorComm100) {
			rate += wd.ArrivalRate(sk, snapshot.Chat)
		}
	})
	simulator.WriteJSON(w, http.StatusOK, map[string]any{
		"loggedInAgents": loggedIn, "agentsInChat": inChat,
		"chatUtilization": int(math.Round(ratio(float64(ongoing), float64(capacity)) * 100)),
		"visitorOnSite":   int(math.Round(rate*900)) + ongoing + waiting,
		"ongoingChats":    ongoing, "ongoingChatsWithAgent": ongoing,
		"currentQueueLength": waiting, "ongoingChatsWithBot": 0,
	})
}
