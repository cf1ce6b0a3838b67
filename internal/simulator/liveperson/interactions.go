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

// Messaging Interactions conversations/search: the floor's open messaging
// conversations (waiting and assigned), filtered and paged as documented.

// miMaxSpan is the documented "max interval three months" of the start filter.
const miMaxSpan = 92 * 24 * time.Hour

type miFilter struct {
	Start      *timeRange        `json:"start"`
	Status     []string          `json:"status"`
	QueueState json.RawMessage   `json:"latestConversationQueueState"`
	Latest     []json.RawMessage `json:"latestSkillIds"`
	Skills     []json.RawMessage `json:"skillIds"`
	Content    []string          `json:"contentToRetrieve"`
}

// queueState reads latestConversationQueueState, documented as a string (not an
// array): anything else is a 400.
func (f miFilter) queueState() (string, bool) {
	if len(f.QueueState) == 0 {
		return "", true
	}
	var s string
	if err := json.Unmarshal(f.QueueState, &s); err != nil || (s != "IN_QUEUE" && s != "ACTIVE") {
		return "", false
	}
	return s, true
}

func (s *server) handleMIConversations(w http.ResponseWriter, r *http.Request) {
	offset, limit, desc, msg := searchQuery(r, []string{"start", "end"}, true)
	if msg == "" && r.URL.Query().Get("v") != "" && r.URL.Query().Get("v") != "1" && r.URL.Query().Get("v") != "2" {
		msg = "v must be 1 or 2"
	}
	var f miFilter
	if msg == "" {
		msg = decodeSearch(w, r, &f)
	}
	state, ok := f.queueState()
	if msg == "" && !ok {
		msg = "latestConversationQueueState must be the string IN_QUEUE or ACTIVE"
	}
	var rows []map[string]any
	realNow := s.clock() // outside View: a test's clock may read the floor
	s.View(func(wd *simulator.World) {
		from, to, m := f.Start.window(wd.Now, realNow, miMaxSpan)
		if msg == "" {
			msg = m
		}
		if msg != "" {
			return
		}
		rows = s.openRecords(wd, f, state, from, to)
	})
	if msg != "" {
		writeLP400(w, msg)
		return
	}
	if desc {
		slices.Reverse(rows)
	}
	writeSearch(w, envelope(r, "conversationHistoryRecords", len(rows), offset, limit, pageOf(rows, offset, limit)))
}

// openRecords lists the matching open conversations, oldest start first.
func (s *server) openRecords(wd *simulator.World, f miFilter, state string, from, to time.Time) []map[string]any {
	if len(f.Status) > 0 && !slices.Contains(f.Status, "OPEN") {
		return nil // only open conversations exist here; closed ones are not kept
	}
	latest, ever := idSet(f.Latest), idSet(f.Skills)
	content := f.Content
	if content == nil {
		content = []string{"messageRecords", "transfers", "interactions"} // the defaults a queue list sees
	}
	var rows []map[string]any
	var cs []*simulator.Contact
	for _, sk := range lpSkills(wd, snapshot.Messaging) {
		if (latest != nil && !latest[sk.ID]) || (ever != nil && !ever[sk.ID]) {
			continue
		}
		if state != "ACTIVE" {
			cs = append(cs, wd.WaitingIn(sk.ID, string(snapshot.Messaging))...)
		}
		if state != "IN_QUEUE" {
			cs = append(cs, wd.Ongoing(sk.ID, string(snapshot.Messaging))...)
		}
	}
	slices.SortStableFunc(cs, func(a, b *simulator.Contact) int { return a.Started.Compare(b.Started) })
	for _, c := range cs {
		if c.Started.Before(from) || c.Started.After(to) {
			continue
		}
		rows = append(rows, s.miRecord(wd, c, content))
	}
	return rows
}

// miRecord is one conversation in the documented shape (info, transfers,
// interactions, responseTime, messageRecords as asked).
func (s *server) miRecord(wd *simulator.World, c *simulator.Contact, content []string) map[string]any {
	sk := wd.Skill(c.Skill)
	skillID, _ := strconv.ParseInt(c.Skill, 10, 64)
	info := map[string]any{
		"conversationId": c.ID, "brandId": s.cfg.LivePerson.AccountID, "status": "OPEN", "fullDialogStatus": "OPEN",
		"startTime": lpTimeString(c.Started), "startTimeL": c.Started.UnixMilli(),
		"duration": wd.Now.Sub(c.Started).Milliseconds(), "latestSkillId": skillID, "latestSkillName": sk.Name,
		"source": pick(c.ID, "APP", "SMS", "SHARK", "FACEBOOK"), "device": pick(c.ID, "MOBILE", "DESKTOP"),
		"latestQueueState": "IN_QUEUE", "firstConversation": !c.Returning, "isPartial": false,
	}
	rec := map[string]any{"info": info}
	var interactions []map[string]any
	if a := wd.Agent(c.Agent); a != nil {
		info["latestQueueState"] = "ACTIVE"
		info["latestAgentId"] = a.ID
		info["latestAgentNickname"], info["latestAgentFullName"], info["latestAgentLoginName"] = a.Name, a.FirstName+" "+a.LastName, a.Email
		interactions = append(interactions, map[string]any{
			"assignedAgentId": a.ID, "assignedAgentNickname": a.Name, "assignedAgentFullName": a.FirstName + " " + a.LastName,
			"assignedAgentLoginName": a.Email, "interactionTimeL": c.AnsweredAt.UnixMilli(),
			"interactionTime": lpTimeString(c.AnsweredAt), "interactiveSequence": 1, "dialogId": c.ID})
	}
	var transfers []map[string]any
	if c.Transfers > 0 {
		from, _ := strconv.ParseInt(c.FromSkill, 10, 64)
		transfers = append(transfers, map[string]any{"timeL": c.Arrived.UnixMilli(), "time": lpTimeString(c.Arrived),
			"assignedAgentId": "null", "targetSkillId": skillID, "targetSkillName": sk.Name, "reason": "Skill",
			"sourceSkillId": from, "dialogId": c.ID})
	}
	due := c.Arrived.Add(lpOverdue).UnixMilli()
	if c.Agent != "" && wd.Now.After(c.AnsweredAt.Add(c.ResponseTime)) {
		due = -1 // the agent answered: waiting for the consumer
	}
	for _, kind := range content {
		switch kind {
		case "transfers":
			rec["transfers"] = orEmpty(transfers)
		case "interactions":
			rec["interactions"] = orEmpty(interactions)
		case "responseTime":
			rec["responseTime"] = map[string]any{"latestEffectiveResponseDueTime": due, "configuredResponseTime": lpOverdue.Milliseconds()}
		case "messageRecords":
			rec["messageRecords"] = miMessages(wd, c)
		}
	}
	return rec
}

func orEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

// lpConsumerLines are the simulated customers' opening messages.
var lpConsumerLines = []string{
	"Hi, my last invoice looks wrong", "Where is my order?", "I can't log in to my account",
	"Can I change my delivery address?", "How do I cancel my subscription?", "The app keeps crashing",
}

// miMessages is a short transcript: the consumer's question and, once answered, the
// agent's reply.
func miMessages(wd *simulator.World, c *simulator.Contact) []map[string]any {
	msg := func(seq int, at time.Time, by, text string) map[string]any {
		return map[string]any{"type": "TEXT_PLAIN", "messageData": map[string]any{"msg": map[string]any{"text": text}},
			"messageId": "ms::conv:" + c.ID + "::msg:" + strconv.Itoa(seq), "seq": seq, "dialogId": c.ID,
			"time": lpTimeString(at), "timeL": at.UnixMilli(), "audience": "ALL", "sentBy": by}
	}
	out := []map[string]any{msg(0, c.Started, "Consumer", pick(c.ID, lpConsumerLines...))}
	if c.Agent != "" && wd.Now.After(c.AnsweredAt.Add(c.ResponseTime)) {
		out = append(out, msg(1, c.AnsweredAt.Add(c.ResponseTime), "Agent", "Thanks for waiting, let me check that for you."))
	}
	return out
}
