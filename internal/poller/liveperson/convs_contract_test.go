package liveperson

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Contract tests of the drill-down methods: Messaging Interactions conversations/search
// and Engagement History interactions/search, against the documented examples (and
// the other spelling wherever the docs disagree), values read off the files by hand.

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

// respell applies old→new replacements to a fixture, failing if one is absent (so a
// spelling test cannot silently test nothing).
func respell(t *testing.T, b []byte, pairs ...string) []byte {
	t.Helper()
	s := string(b)
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("fixture has no %q to respell", pairs[i])
		}
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return []byte(s)
}

func TestContractMIConversationsSearch(t *testing.T) {
	t.Parallel()
	doc := fixture(t, "lp-msghist_conversations-search_1.json")
	queue := fixture(t, "lp-msghist_conversations-search_2.json")
	dana := snapshot.Conversation{ID: "b18e0c52-9a77-4f0d-8e21-6c3d5a4b7e90", Channel: snapshot.Messaging,
		State: snapshot.ConvWaiting, Origin: "SMS", WaitingSince: ms(1710237150250), Transfers: 1} // back2Q at 09:52:30
	fresh := snapshot.Conversation{ID: "7c2f6a0e-3b1d-4c8e-9f4a-1d2e3f4a5b6c", Channel: snapshot.Messaging,
		State: snapshot.ConvWaiting, Origin: "App", WaitingSince: ms(1710236467118)} // never assigned, since 09:41:07
	michal := snapshot.Conversation{ID: "e5c58e49-e4a5-40a8-8a18-d6580d1d5630", Channel: snapshot.Messaging,
		State: snapshot.ConvAssigned, Origin: "App", Agent: "michal@lp.com", Transfers: 2,
		WaitingSince: ms(1498127562332)} // the later of its start and its two skill transfers
	tests := []struct {
		name          string
		body          []byte
		text          bool
		want          []snapshot.Conversation // after SortOpen
		total         int
		wantTruncated bool
	}{
		{"doc example, ACTIVE with agent and transfers", doc, false, []snapshot.Conversation{michal}, 1, false},
		{"doc example with text: latest consumer message", doc, true,
			[]snapshot.Conversation{withText(michal, "I love your service")}, 1, false},
		{"queue example: back-to-queue waits less than the later start", queue, false,
			[]snapshot.Conversation{fresh, dana}, 2, false},
		{"table spellings: metadata, messagesRecords, lower-case sentBy, numeric agent id",
			respell(t, doc, `"_metadata"`, `"metadata"`, `"messageRecords"`, `"messagesRecords"`,
				`"sentBy": "Consumer"`, `"sentBy": "consumer"`, `"latestAgentId": "3677470410"`, `"latestAgentId": 3677470410`),
			true, []snapshot.Conversation{withText(michal, "I love your service")}, 1, false},
		{"a transfer to an agent does not restart the wait", respell(t, queue, `"reason": "back2Q"`, `"reason": "Agent"`),
			false, []snapshot.Conversation{withSince(dana, ms(1710235215500)), fresh}, 2, false},
		{"start time as the string form only", respell(t, queue, `"startTimeL": 1710236467118,`, ``),
			false, []snapshot.Conversation{fresh, dana}, 2, false},
		{"agent name only in interactions (table spelling)", respell(t, doc,
			`"latestAgentNickname": "michal@lp.com",`, ``, `"latestAgentFullName": "michal@lp.com",`, ``,
			`"latestAgentLoginName": "michal@lp.com",`, ``, `"assignedAgentNickname"`, `"agentNickname"`),
			false, []snapshot.Conversation{michal}, 1, false},
		{"partial shards", respell(t, queue, `"partialResult": false`, `"partialResult": true`),
			false, []snapshot.Conversation{fresh, dana}, 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, records, total, partial, err := parseMIConversations(tc.body, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			snapshot.SortOpen(got)
			if records != len(tc.want) || total != tc.total || partial != tc.wantTruncated {
				t.Errorf("records, total, partial = %d, %d, %v; want %d, %d, %v", records, total, partial, len(tc.want), tc.total, tc.wantTruncated)
			}
			assertConvs(t, got, tc.want)
		})
	}
}

func withSince(c snapshot.Conversation, at time.Time) snapshot.Conversation {
	c.WaitingSince = at
	return c
}

func withText(c snapshot.Conversation, text string) snapshot.Conversation {
	c.Text = text
	return c
}

func assertConvs(t *testing.T, got, want []snapshot.Conversation) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("conversations:\n got %s\nwant %s", g, w)
	}
}

func TestContractEHInteractionsSearch(t *testing.T) {
	t.Parallel()
	answered := fixture(t, "lp-enghist_interactions-search_1.json")
	closed := fixture(t, "lp-enghist_interactions-search_2.json")
	greg := snapshot.Conversation{ID: "qa844815054294982965", Channel: snapshot.Chat, State: snapshot.ConvAbandoned,
		Origin: "Web", WaitingSince: ms(1432788383209), Ended: ms(1432788383410)} // no chatRequestedTime: its start
	tests := []struct {
		name           string
		body           []byte
		since          time.Time
		text           bool
		want           []snapshot.Conversation
		records, total int
	}{
		{"an agent wrote: answered, not listed", answered, time.Time{}, false, nil, 1, 1},
		{"visitor closed chat before any agent line: abandoned", closed, time.Time{}, false,
			[]snapshot.Conversation{greg}, 1, 9870},
		{"ended before the window: not listed", closed, ms(1432788383411), false, nil, 1, 9870},
		{"ACD no assignment (numeric reason, table spelling): missed",
			respell(t, closed, `"startReason": "0"`, `"startReason": 4`, `"_metadata"`, `"metadata"`),
			time.Time{}, false, []snapshot.Conversation{withState(greg, snapshot.ConvMissed)}, 1, 9870},
		{"answered example with its agent lines removed and visitor disconnected: abandoned, queued 4.1 s",
			respell(t, answered, `"source": "agent"`, `"source": "system"`, `"endReason": "201"`, `"endReason": 205`),
			time.Time{}, true, []snapshot.Conversation{{ID: "qa359315574294967901", Channel: snapshot.Chat,
				State: snapshot.ConvAbandoned, Origin: "Web", WaitingSince: ms(1485969115781), Ended: ms(1485970007735),
				Text: "I love your service very much"}}, 1, 1},
		{"not interactive, no agent, `interactive` spelling: abandoned",
			respell(t, closed, `"isInteractive": true`, `"interactive": false`, `"agentId": "3"`, `"agentId": -1`,
				`"endReason": "210"`, `"endReason": "0"`),
			time.Time{}, false, []snapshot.Conversation{greg}, 1, 9870},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, records, total, _, err := parseEHInteractions(tc.body, tc.since, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if records != tc.records || total != tc.total {
				t.Errorf("records, total = %d, %d; want %d, %d", records, total, tc.records, tc.total)
			}
			assertConvs(t, got, tc.want)
		})
	}
}

func withState(c snapshot.Conversation, st snapshot.ConvState) snapshot.Conversation {
	c.State = st
	return c
}

// TestContractSearchRequests checks the request bodies against the documented
// filters: the drill-down body of REFERENCE §10.7 (request example 2) and the
// Engagement History time-range body (request example 1's shape).
func TestContractSearchRequests(t *testing.T) {
	t.Parallel()
	now := ms(1710237480000)
	var want, got map[string]any
	if err := json.Unmarshal(fixture(t, "lp-msghist_conversations-search_request_2.json"), &want); err != nil {
		t.Fatal(err)
	}
	delete(want, "latestConversationQueueState") // queued and assigned both
	raw, _ := json.Marshal(miSearchBody("4123456710", now, false))
	_ = json.Unmarshal(raw, &got)
	if g, w := mustJSON(got), mustJSON(want); g != w {
		t.Errorf("conversations/search body\n got %s\nwant %s", g, w)
	}
	raw, _ = json.Marshal(miSearchBody("4123456710", now, true))
	if !strings.Contains(string(raw), `"messageRecords"`) || strings.Contains(string(raw), "consumerParticipants") {
		t.Errorf("with text the body asks for messageRecords and never consumer PII: %s", raw)
	}
	var eh map[string]any
	raw, _ = json.Marshal(ehSearchBody("14", now))
	_ = json.Unmarshal(raw, &eh)
	if _, ok := eh["interactive"]; ok {
		t.Errorf("interactions/search must not filter interactive (drops abandoned chats): %s", raw)
	}
	start, _ := eh["start"].(map[string]any)
	if start["to"] != float64(now.UnixMilli()) || start["from"] != float64(now.Add(-lpEndedLookback).UnixMilli()) {
		t.Errorf("interactions/search start window = %v", start)
	}
	if len(lpSearchSource) > 20 {
		t.Errorf("source %q is longer than the documented 20 characters", lpSearchSource)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
