package server

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ccdash/ccdash/internal/snapshot"
)

type accountGauge struct {
	desc *prometheus.Desc
	get  func(a snapshot.Account) (float64, bool)
}

func count(o snapshot.Opt[int64]) (float64, bool)           { v, ok := o.Get(); return float64(v), ok }
func seconds(o snapshot.Opt[time.Duration]) (float64, bool) { v, ok := o.Get(); return v.Seconds(), ok }
func ratio(o snapshot.Opt[float64]) (float64, bool)         { return o.Get() }

func acc(name, help string, get func(a snapshot.Account) (float64, bool)) accountGauge {
	return accountGauge{ccDesc("account_"+name, help, accountLabels...), get}
}

// accountGauges are each account's Today and Right-now figures.
var accountGauges = []accountGauge{
	acc("today_chat_requests", "Chat requests today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.ChatRequests) }),
	acc("today_chats", "Chats today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.Chats) }),
	acc("today_abandoned", "Contacts abandoned today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.Abandoned) }),
	acc("today_missed", "Chats missed today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.Missed) }),
	acc("today_transferred", "Chats transferred today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.Transferred) }),
	acc("today_switched_to_message", "Visitors who switched to a message today.", func(a snapshot.Account) (float64, bool) { return count(a.Today.SwitchedToMessage) }),
	acc("today_avg_wait_seconds", "Average wait today.", func(a snapshot.Account) (float64, bool) { return seconds(a.Today.AvgWait) }),
	acc("today_avg_chat_time_seconds", "Average chat duration today.", func(a snapshot.Account) (float64, bool) { return seconds(a.Today.AvgChatTime) }),
	acc("today_avg_response_seconds", "Average agent response time today.", func(a snapshot.Account) (float64, bool) { return seconds(a.Today.AvgResponse) }),
	acc("today_acceptance_rate_ratio", "Share 0..1 of chats accepted today.", func(a snapshot.Account) (float64, bool) { return ratio(a.Today.AcceptanceRate) }),
	acc("today_agent_utilization_ratio", "Agent utilization 0..1 today.", func(a snapshot.Account) (float64, bool) { return ratio(a.Today.AgentUtilization) }),
	acc("today_avg_score", "Average rating today.", func(a snapshot.Account) (float64, bool) { return ratio(a.Today.AvgScore) }),
	acc("right_now_logged_in_agents", "Agents logged in now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.LoggedInAgents) }),
	acc("right_now_agents_in_chat", "Agents in a chat now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.AgentsInChat) }),
	acc("right_now_ongoing", "Conversations ongoing now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.Ongoing) }),
	acc("right_now_ongoing_with_agent", "Conversations with an agent now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.OngoingWithAgent) }),
	acc("right_now_ongoing_with_bot", "Conversations with a bot now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.OngoingWithBot) }),
	acc("right_now_queue_length", "Contacts queued now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.QueueLength) }),
	acc("right_now_visitors_on_site", "Visitors on the site now.", func(a snapshot.Account) (float64, bool) { return count(a.RightNow.VisitorsOnSite) }),
	acc("right_now_utilization_ratio", "Agent utilization 0..1 now.", func(a snapshot.Account) (float64, bool) { return ratio(a.RightNow.Utilization) }),
}
