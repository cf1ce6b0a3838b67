package views

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/field"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestConversationsTileHidesTextByDefault: whatever the list holds, a board without
// show_transcripts renders no conversation text; with it, the text is shown. Lists
// are in the given order (longest-waiting first) and only for the skill's channels.
func TestConversationsTileHidesTextByDefault(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	list := &snapshot.Conversations{Skill: "lp:1", FetchedAt: at, Open: []snapshot.Conversation{
		{ID: "conv-long-waiting-0001", State: snapshot.ConvWaiting, WaitingSince: at.Add(-20 * time.Minute), Text: "my card number is 4111"},
		{ID: "conv-2", State: snapshot.ConvAssigned, Agent: "Dana", WaitingSince: at.Add(-5 * time.Minute), Transfers: 1},
	}}
	for _, show := range []bool{false, true} {
		v := Variant{Board: Board{ID: "b", Title: "B", ShowTranscripts: show}, Audience: Manager, Skill: "lp:1"}
		var ts Tileset
		if err := ts.AddConversations(context.Background(), v, ConversationsState{Channels: []snapshot.Channel{snapshot.Messaging}, List: list}); err != nil {
			t.Fatal(err)
		}
		tile, ok := ts.Get(conversationsID)
		if !ok {
			t.Fatal("no conversations tile on a manager drill-down")
		}
		h := string(tile.HTML)
		if got := strings.Contains(h, "4111"); got != show {
			t.Errorf("show_transcripts %v: text shown %v", show, got)
		}
		if i, j := strings.Index(h, "conv-long-waiting-0001"), strings.Index(h, `data-id="conv-2"`); i < 0 || j < 0 || i > j {
			t.Errorf("rows missing or out of order (%d, %d)", i, j)
		}
		if strings.Contains(h, "ended unanswered") || !strings.Contains(h, "Dana") {
			t.Errorf("a messaging-only skill shows the chat list, or the agent is missing")
		}
	}
	var ts Tileset
	_ = ts.AddConversations(context.Background(), Variant{Board: Board{ID: "b"}, Audience: Wall, Skill: "lp:1"}, ConversationsState{List: list})
	if ts.Len() != 0 {
		t.Error("a wall drill-down got a conversations list")
	}
}

func TestShowTranscriptsNotOnAPublicBoard(t *testing.T) {
	t.Parallel()
	err := Board{ID: "x", Title: "X", Public: true, ShowTranscripts: true}.Validate()
	var fe *field.Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "show_transcripts") {
		t.Fatalf("Validate() = %v, want a show_transcripts field error", err)
	}
	if err := (Board{ID: "x", Title: "X", ShowTranscripts: true}).Validate(); err != nil {
		t.Fatalf("a private board may show transcripts: %v", err)
	}
}
