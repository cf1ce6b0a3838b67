package views

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/web/templates"
)

// kindConversations keys a drill-down's conversations list in a Tileset. It is not a
// configurable tile kind: the server adds it to the manager drill-down of a skill
// whose source can list conversations (LivePerson).
const kindConversations TileKind = "conversations"

// conversationsID is the list's element id.
const conversationsID = "tile-convs"

// ConversationsState is what a drill-down's list shows: the skill's channels (which
// lists exist) and the latest fetch, nil while the first one runs.
type ConversationsState struct {
	Channels []snapshot.Channel
	List     *snapshot.Conversations
}

// maxConvRows bounds each list on the page; the rest is counted in the note.
const maxConvRows = 200

// AddConversations renders the conversations list of drill-down v into ts (manager
// drill-downs only). Conversation text appears only when the board sets
// show_transcripts: whatever the list holds, a board without it never shows text.
func (ts *Tileset) AddConversations(ctx context.Context, v Variant, st ConversationsState) error {
	if v.Audience != Manager || v.Skill == "" {
		return nil
	}
	html, err := render(ctx, templates.ConversationsTile(conversationsProps(v.Board, st)), 2048)
	if err != nil {
		return err
	}
	ts.add(conversationsID, html, "")
	ts.kinds[kindConversations] = conversationsID
	return nil
}

func conversationsProps(b Board, st ConversationsState) templates.ConversationsTileProps {
	p := templates.ConversationsTileProps{TileMeta: templates.TileMeta{ID: conversationsID, TestID: "conversations"},
		Title: "Conversations", ShowText: b.ShowTranscripts, Loading: st.List == nil}
	chat, msg := slices.Contains(st.Channels, snapshot.Chat), slices.Contains(st.Channels, snapshot.Messaging)
	switch {
	case chat && msg:
		p.Note = "LivePerson Messaging Interactions (open) and Engagement History (ended chats)"
	case msg:
		p.Note = "LivePerson Messaging Interactions"
	default:
		p.Note = "LivePerson Engagement History: ended chats only; waiting chats are counted in the queue figures"
	}
	l := st.List
	if l == nil {
		return p
	}
	p.Problem, p.UpdatedMS = l.Err, msString(l.FetchedAt)
	hidden := 0
	if msg && l.Open != nil { // nil: not enabled on the account (Err says so)
		p.Open = &templates.ConvList{Heading: "Open conversations, longest waiting first", Empty: "No open conversations."}
		hidden += convRows(p.Open, l.Open, b.ShowTranscripts)
	}
	if chat && l.Unanswered != nil {
		p.Ended = &templates.ConvList{Heading: "Chats ended unanswered, last 30 min", Empty: "No chat ended unanswered in the last 30 minutes."}
		hidden += convRows(p.Ended, l.Unanswered, b.ShowTranscripts)
	}
	if hidden > 0 {
		p.Note += " · " + strconv.Itoa(hidden) + " more not shown"
	}
	if l.Truncated {
		p.Note += " · more than one refresh reads: the first pages only"
	}
	return p
}

// convRows fills list with up to maxConvRows rows and returns how many it left out.
func convRows(list *templates.ConvList, cs []snapshot.Conversation, showText bool) int {
	for i, c := range cs {
		if i == maxConvRows {
			return len(cs) - i
		}
		r := templates.ConvRow{ID: c.ID, ShortID: shortID(c.ID), State: string(c.State), StateLabel: convStateLabel[c.State],
			SinceMS: msString(c.WaitingSince), Agent: c.Agent, Origin: c.Origin, Transfers: strconv.Itoa(c.Transfers)}
		if r.Origin == "" {
			r.Origin = dash
		}
		if !c.Ended.IsZero() {
			r.EndedMS = msString(c.Ended)
			r.Waited = fmtDur(snapshot.Some(c.QueueTime(time.Time{})))
		}
		if showText {
			r.Text = c.Text
		}
		list.Rows = append(list.Rows, r)
	}
	return 0
}

var convStateLabel = map[snapshot.ConvState]string{
	snapshot.ConvWaiting: "Waiting", snapshot.ConvAssigned: "Assigned",
	snapshot.ConvAbandoned: "Abandoned", snapshot.ConvMissed: "Missed",
}

// shortID keeps an id readable in a table cell; the full id is the cell's title.
func shortID(id string) string {
	if r := []rune(id); len(r) > 12 {
		return string(r[:8]) + "…"
	}
	return id
}
