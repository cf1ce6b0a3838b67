package liveperson

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Messaging Interactions ("msgHist", REFERENCE §10): the open messaging conversations
// of one skill, for a drill-down.

// lpSearchSource is the `source` query parameter the Messaging Interactions and
// Engagement History searches require (≤ 20 characters, ProjectName+AppName+UseCase):
// LivePerson monitors and throttles per source name.
const lpSearchSource = "ccdash_Board_Queue"

// lpSearchLimit is the documented page-size maximum of both searches.
const lpSearchLimit = 100

// lpOpenWindow is how far back an open conversation may have started and still be
// found: the search needs a start window (at most three months), and a conversation
// open longer than this is not on the list.
const lpOpenWindow = 7 * 24 * time.Hour

// miSearchBody is the conversations/search filter of a drill-down: the skill's open
// conversations, queued and assigned (no latestConversationQueueState), with only
// the content a queue list needs. messageRecords (the transcript) is asked for only
// when the board shows transcripts; consumerParticipants (PII) never.
func miSearchBody(skillID string, now time.Time, text bool) map[string]any {
	content := []string{"transfers", "interactions", "responseTime"}
	if text {
		content = append(content, "messageRecords")
	}
	return map[string]any{
		"start":             map[string]int64{"from": now.Add(-lpOpenWindow).UnixMilli(), "to": now.UnixMilli()},
		"status":            []string{"OPEN"},
		"latestSkillIds":    []any{skillNumber(skillID)},
		"contentToRetrieve": content,
	}
}

// skillNumber sends a numeric skill id as a number ("represented as numbers"), any
// other id as the string it is.
func skillNumber(id string) any {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	return id
}

// miPage is one page of conversations/search. The envelope is `_metadata` in the
// example and `metadata` in the field table: both are read.
type miPage struct {
	Metadata  *lpSearchMeta    `json:"_metadata"`
	Metadata2 *lpSearchMeta    `json:"metadata"`
	Records   []miConversation `json:"conversationHistoryRecords"`
}

type lpSearchMeta struct {
	Count  poller.Num `json:"count"`
	Shards struct {
		Partial bool `json:"partialResult"`
	} `json:"shardsStatusResult"`
}

// read returns the filter's total (records when the count is absent) and whether
// some search shards failed; m may be nil.
func (m *lpSearchMeta) read(records int) (total int, partial bool) {
	if m == nil {
		return records, false
	}
	if n, ok := m.Count.Value(); ok && n >= 0 {
		return int(n), m.Shards.Partial
	}
	return records, m.Shards.Partial
}

// pick returns the envelope under whichever of its two documented names it came.
func pickMeta(a, b *lpSearchMeta) *lpSearchMeta {
	if a != nil {
		return a
	}
	return b
}

type miConversation struct {
	Info struct {
		ConversationID string     `json:"conversationId"`
		Status         string     `json:"status"`
		QueueState     string     `json:"latestQueueState"`
		StartTimeL     poller.Num `json:"startTimeL"`
		StartTime      string     `json:"startTime"`
		AgentNickname  string     `json:"latestAgentNickname"`
		AgentFullName  string     `json:"latestAgentFullName"`
		AgentLoginName string     `json:"latestAgentLoginName"`
		AgentID        lpID       `json:"latestAgentId"`
		Source         string     `json:"source"`
	} `json:"info"`
	Transfers []struct {
		TimeL  poller.Num `json:"timeL"`
		Reason string     `json:"reason"`
	} `json:"transfers"`
	Interactions []struct {
		AgentID       lpID       `json:"assignedAgentId"`
		Nickname      string     `json:"assignedAgentNickname"`
		Nickname2     string     `json:"agentNickname"`
		FullName      string     `json:"assignedAgentFullName"`
		FullName2     string     `json:"agentFullName"`
		TimeL         poller.Num `json:"interactionTimeL"`
		InteractiveSq poller.Num `json:"interactiveSequence"`
	} `json:"interactions"`
	// messageRecords in the examples and contentToRetrieve; messagesRecords in the
	// field table.
	Messages  []miMessage `json:"messageRecords"`
	Messages2 []miMessage `json:"messagesRecords"`
}

type miMessage struct {
	SentBy  string     `json:"sentBy"`
	TimeL   poller.Num `json:"timeL"`
	Message struct {
		Msg struct {
			Text string `json:"text"`
		} `json:"msg"`
	} `json:"messageData"`
}

// lpTimeLayout is the string form of LivePerson times ("2016-08-29 14:30:24.565+0000").
const lpTimeLayout = "2006-01-02 15:04:05.000-0700"

// lpTime reads an epoch-ms field, falling back to its string twin; zero when
// neither is a time (−1, "undefined", absent).
func lpTime(ms poller.Num, s string) time.Time {
	if t := ms.TimeMs(); !t.IsZero() {
		return t
	}
	if t, err := time.Parse(lpTimeLayout, strings.TrimSpace(s)); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

var errNoConversationID = errors.New("conversation without conversationId")

// parseMIConversations reads one conversations/search page into open conversations.
// It returns the page's record count and the filter's total (metadata count, or the
// records seen when absent) and whether some search shards failed. A record without
// an id fails the page (the shape is wrong); every other field is optional, as
// documented ("when the data is unavailable the field will not be returned").
func parseMIConversations(body []byte, text bool) (convs []snapshot.Conversation, records, total int, partial bool, err error) {
	var p miPage
	if err := lpDecode(body, &p); err != nil {
		return nil, 0, 0, false, err
	}
	records = len(p.Records)
	total, partial = pickMeta(p.Metadata, p.Metadata2).read(records)
	for _, r := range p.Records {
		id := strings.TrimSpace(r.Info.ConversationID)
		if id == "" {
			return nil, 0, 0, false, errNoConversationID
		}
		if st := strings.ToUpper(r.Info.Status); st != "" && st != "OPEN" {
			continue
		}
		convs = append(convs, r.conversation(id, text))
	}
	return convs, records, total, partial, nil
}

// conversation normalizes one open record. "Waiting since" is not a documented
// field (REFERENCE §10.6): it is the later of the start and the latest transfer that
// puts it back into a queue (back2Q, Skill, SuggestedAgentTimeout; one with no reason
// counts too), the moments a conversation (re-)enters a queue. Assigned or not is read from the queue
// state, not from latestAgentId, which keeps the last agent ever assigned.
func (r miConversation) conversation(id string, text bool) snapshot.Conversation {
	c := snapshot.Conversation{ID: id, Channel: snapshot.Messaging, State: snapshot.ConvWaiting,
		Origin: originName(r.Info.Source), Transfers: len(r.Transfers)}
	c.WaitingSince = lpTime(r.Info.StartTimeL, r.Info.StartTime)
	for _, t := range r.Transfers {
		if at := t.TimeL.TimeMs(); toQueue(t.Reason) && at.After(c.WaitingSince) {
			c.WaitingSince = at
		}
	}
	if strings.EqualFold(r.Info.QueueState, "ACTIVE") {
		c.State = snapshot.ConvAssigned
		c.Agent = lpName(r.Info.AgentNickname, r.Info.AgentFullName, r.Info.AgentLoginName)
		if n := len(r.Interactions); n > 0 {
			last := r.Interactions[n-1]
			c.Agent = lpName(c.Agent, last.Nickname, last.Nickname2, last.FullName, last.FullName2, string(last.AgentID))
		}
		if c.Agent == "" && r.Info.AgentID.known() {
			c.Agent = string(r.Info.AgentID)
		}
	}
	if text {
		c.Text = lastConsumerText(append(r.Messages, r.Messages2...))
	}
	return c
}

// toQueue reports whether a transfer of reason puts the conversation into a queue
// (an Agent or TakeOver transfer hands it to a person).
func toQueue(reason string) bool {
	switch strings.ToLower(strings.TrimSpace(reason)) {
	case "agent", "takeover":
		return false
	}
	return true
}

// lastConsumerText is the latest plain-text message the consumer sent ("Consumer" in
// the example, "consumer" in the table).
func lastConsumerText(ms []miMessage) string {
	var best miMessage
	found := false
	for _, m := range ms {
		if !strings.EqualFold(m.SentBy, "consumer") || strings.TrimSpace(m.Message.Msg.Text) == "" {
			continue
		}
		if !found || m.TimeL.Raw() >= best.TimeL.Raw() {
			best, found = m, true
		}
	}
	return clip(best.Message.Msg.Text)
}

// maxTextRunes bounds a shown message: the list is a queue view, not a transcript.
const maxTextRunes = 200

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxTextRunes {
		return string(r[:maxTextRunes-1]) + "…"
	}
	return s
}

// originName turns the documented source values into words (SHARK is web).
func originName(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "UNDEFINED", "NA":
		return ""
	case "SHARK":
		return "Web"
	case "APP":
		return "App"
	case "SMS":
		return "SMS"
	case "FACEBOOK":
		return "Facebook"
	}
	return strings.TrimSpace(s)
}

func lpName(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && v != "undefined" && v != "null" {
			return v
		}
	}
	return ""
}
