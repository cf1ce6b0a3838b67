package liveperson

import (
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// FuzzLPConversations feeds any bytes to the drill-down parsers (Messaging
// Interactions and Engagement History searches): hostile JSON may fail a refresh but
// never panics, and what parses is a usable list (ids set, counts sane, ended chats
// inside the window).
func FuzzLPConversations(f *testing.F) {
	lpFuzzSeeds(f)
	f.Add([]byte(`{"_metadata":{"count":"NA"},"conversationHistoryRecords":[{"info":{"conversationId":"x","startTimeL":-1,"startTime":"undefined"},"transfers":[{"timeL":1e300}]}]}`))
	f.Add([]byte(`{"interactionHistoryRecords":[{"info":{"engagementId":"e","endTimeL":"17","startReason":"4"},"transcript":{"lines":null}}]}`))
	since := time.UnixMilli(10)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, text := range []bool{false, true} {
			open, records, total, _, err := parseMIConversations(body, text)
			if err == nil {
				checkParsed(t, open, records, total, text)
			}
			ended, records, total, _, err := parseEHInteractions(body, since, text)
			if err == nil {
				checkParsed(t, ended, records, total, text)
				for _, c := range ended {
					if c.Ended.Before(since) || c.WaitingSince.After(c.Ended) || c.QueueTime(time.Now()) < 0 {
						t.Fatalf("ended chat outside the window or queued after it ended: %+v", c)
					}
				}
			}
		}
	})
}

func checkParsed(t *testing.T, cs []snapshot.Conversation, records, total int, text bool) {
	t.Helper()
	if len(cs) > records || records < 0 || total < 0 {
		t.Fatalf("%d conversations from %d records (total %d)", len(cs), records, total)
	}
	for _, c := range cs {
		if c.ID == "" || (!text && c.Text != "") || len([]rune(c.Text)) > maxTextRunes || c.Transfers < 0 {
			t.Fatalf("bad conversation %+v (text %v)", c, text)
		}
	}
}
