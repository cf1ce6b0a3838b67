package liveperson

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Engagement History interactions/search: the floor's ended LivePerson chats
// (answered and closed, transferred, abandoned in the queue), from the event log.

// ehMaxSpan is the documented "max interval one month" of the start filter.
const ehMaxSpan = 31 * 24 * time.Hour

var ehSortFields = []string{"start", "end", "duration", "visitor", "engagementId", "interactive", "agentId", "skillId"}

type ehFilter struct {
	Start       *timeRange        `json:"start"`
	Interactive *bool             `json:"interactive"`
	Skills      []json.RawMessage `json:"skillIds"`
	Agents      []json.RawMessage `json:"agentIds"`
}

func (s *server) handleEHInteractions(w http.ResponseWriter, r *http.Request) {
	offset, limit, desc, msg := searchQuery(r, ehSortFields, false)
	var f ehFilter
	if msg == "" {
		msg = decodeSearch(w, r, &f)
	}
	if msg == "" && f.Interactive != nil && !*f.Interactive {
		msg = "only interactive=true is supported"
	}
	var rows []map[string]any
	realNow := s.clock() // outside View: a test's clock may read the floor
	s.View(func(wd *simulator.World) {
		from, to, m := f.Start.window(wd.Now, realNow, ehMaxSpan)
		if msg == "" {
			msg = m
		}
		if msg == "" {
			rows = s.endedRecords(wd, f, from, to)
		}
	})
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	if desc {
		slices.Reverse(rows)
	}
	writeSearch(w, envelope(r, "interactionHistoryRecords", len(rows), offset, limit, pageOf(rows, offset, limit)))
}

// ehChat is one ended chat engagement assembled from the event log.
type ehChat struct {
	contact, skill, agent string
	requested, start, end time.Time
	endReason             int
	answered              bool
}

// endedRecords lists the ended chats whose engagement started in [from, to], oldest
// first. An abandoned chat never started: its start is its request.
func (s *server) endedRecords(wd *simulator.World, f ehFilter, from, to time.Time) []map[string]any {
	skills, agents := idSet(f.Skills), idSet(f.Agents)
	answered := map[string]simulator.Event{} // contact → its latest answer
	var chats []ehChat
	for _, e := range wd.EventsSince(from.Add(-3 * time.Hour)) {
		if e.Vendor != simulator.VendorLivePerson || e.Channel != snapshot.Chat {
			continue
		}
		switch e.Kind {
		case simulator.EventAnswered:
			answered[e.Contact] = e
		case simulator.EventAbandoned:
			reason := 210
			if simulator.UnansweredKind(e.Contact) == snapshot.ConvMissed {
				reason = 208
			}
			req := e.At.Add(-e.Wait)
			chats = append(chats, ehChat{contact: e.Contact, skill: e.Skill, requested: req, start: req, end: e.At, endReason: reason})
		case simulator.EventClosed, simulator.EventTransferred:
			a, ok := answered[e.Contact]
			if !ok {
				continue // answered before the log's reach
			}
			reason := pick(e.Contact, "201", "210", "205")
			if e.Kind == simulator.EventTransferred {
				reason = "106"
			}
			n, _ := strconv.Atoi(reason)
			chats = append(chats, ehChat{contact: e.Contact, skill: e.Skill, agent: e.Agent, requested: a.At.Add(-a.Wait),
				start: a.At, end: e.At, endReason: n, answered: true})
		}
	}
	var rows []map[string]any
	slices.SortStableFunc(chats, func(a, b ehChat) int { return a.start.Compare(b.start) })
	for _, c := range chats {
		if c.start.Before(from) || c.start.After(to) || (skills != nil && !skills[c.skill]) || (agents != nil && !agents[c.agent]) {
			continue
		}
		if f.Interactive != nil && !c.answered {
			continue // interactive=true: abandoned chats had no visitor–agent exchange
		}
		rows = append(rows, s.ehRecord(wd, c))
	}
	return rows
}

// ehRecord is one chat in the documented shape (info and transcript).
func (s *server) ehRecord(wd *simulator.World, c ehChat) map[string]any {
	acct := s.cfg.LivePerson.AccountID
	skillID, _ := strconv.ParseInt(c.skill, 10, 64)
	startReason, startDesc := "0", "Visitor request"
	if !c.answered && simulator.UnansweredKind(c.contact) == snapshot.ConvMissed {
		startReason, startDesc = "4", "ACD no assignment"
	}
	info := map[string]any{
		"engagementId": acct + c.contact, "accountId": acct, "isInteractive": c.answered, "interactive": c.answered,
		"ended": true, "channel": 1, "skillId": skillID, "skillName": wd.Skill(c.skill).Name,
		"chatRequestedTime": lpTimeString(c.requested), "chatRequestedTimeL": c.requested.UnixMilli(),
		"startTime": lpTimeString(c.start), "startTimeL": c.start.UnixMilli(),
		"endTime": lpTimeString(c.end), "endTimeL": c.end.UnixMilli(),
		"duration": int64(c.end.Sub(c.start) / time.Second), "visitorId": "v" + c.contact, "visitorName": "Visitor",
		"startReason": startReason, "startReasonDesc": startDesc,
		"endReason": strconv.Itoa(c.endReason), "endReasonDesc": ehEndReasons[c.endReason],
		"engagementSet": 0, "engagementSequence": 0, "isPartial": false, "chatDataEnriched": false,
	}
	if a := wd.Agent(c.agent); a != nil {
		info["agentId"], info["agentNickName"], info["agentName"] = a.ID, a.Name, a.Name
		info["agentLoginName"], info["agentFullName"] = a.Email, a.FirstName+" "+a.LastName
	}
	return map[string]any{"info": info, "transcript": map[string]any{"lines": ehLines(wd, c)}}
}

var ehEndReasons = map[int]string{106: "Transfer - reassignment to skill", 201: "Rep stopped chat",
	205: "Visitor disconnected", 208: "Visitor was no longer in chat", 210: "Visitor closed chat"}

// ehLines is the chat's transcript: the system greeting, the visitor's question and,
// for an answered chat, the agent's lines.
func ehLines(wd *simulator.World, c ehChat) []map[string]any {
	line := func(at time.Time, source, by, text string) map[string]any {
		return map[string]any{"time": lpTimeString(at), "timeL": at.UnixMilli(), "text": text, "by": by,
			"source": source, "subType": "REGULAR", "textType": "plain", "cannedAnswerType": 0}
	}
	out := []map[string]any{
		line(c.requested, "system", "info", "Thank you for choosing to chat with us. An agent will be with you shortly."),
		line(c.requested.Add(time.Second), "visitor", "Visitor", pick(c.contact, lpConsumerLines...)),
	}
	if a := wd.Agent(c.agent); a != nil {
		out = append(out, line(c.start, "system", "info", "You are now chatting with "+a.Name+"."),
			line(c.start.Add(5*time.Second), "agent", a.Name, "Hello, how can I help you today?"))
	}
	return append(out, line(c.end, "system", "info", "Thank you for chatting with us."))
}
