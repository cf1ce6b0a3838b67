package liveperson

import (
	"errors"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Engagement History ("engHistDomain", REFERENCE §11): the chats of one skill that
// ended unanswered in the last 30 minutes. The API returns ended chats only and has
// no status or reason filter, so every ended chat of the window is fetched and
// classified here from its start and end reasons.

// lpEndedLookback is how far back the search's start window reaches: an unanswered
// chat that ended in the last 30 minutes may have been requested a while before.
// The server widens the bounds to 10 minutes anyway.
const lpEndedLookback = snapshot.UnansweredWindow + 15*time.Minute

// ehSearchBody is the interactions/search filter: the skill's chats by start time.
// `interactive` is left out on purpose: "only interactive=true is supported", and
// true would drop the chats abandoned in the queue, the ones the list is for.
func ehSearchBody(skillID string, now time.Time) map[string]any {
	return map[string]any{
		"start":    map[string]int64{"from": now.Add(-lpEndedLookback).UnixMilli(), "to": now.UnixMilli()},
		"ended":    true,
		"skillIds": []any{skillNumber(skillID)},
	}
}

// Documented start and end reason codes used by the classification.
const (
	lpStartACDNoAssignment = 4   // "ACD no assignment"
	lpEndVisitorDisconnect = 205 // "Visitor disconnected"
	lpEndVisitorGone       = 208 // "Visitor was no longer in chat"
	lpEndVisitorClosed     = 210 // "Visitor closed chat"
)

type ehPage struct {
	Metadata  *lpSearchMeta     `json:"_metadata"`
	Metadata2 *lpSearchMeta     `json:"metadata"`
	Records   []ehInteractionJS `json:"interactionHistoryRecords"`
}

type ehInteractionJS struct {
	Info struct {
		EngagementID     string     `json:"engagementId"`
		IsInteractive    *bool      `json:"isInteractive"`
		Interactive      *bool      `json:"interactive"`
		AgentID          lpID       `json:"agentId"`
		StartReason      poller.Num `json:"startReason"`
		EndReason        poller.Num `json:"endReason"`
		ChatRequestedL   poller.Num `json:"chatRequestedTimeL"`
		ChatRequested    string     `json:"chatRequestedTime"`
		StartTimeL       poller.Num `json:"startTimeL"`
		StartTime        string     `json:"startTime"`
		EndTimeL         poller.Num `json:"endTimeL"`
		EndTime          string     `json:"endTime"`
		EngagementSeqNum poller.Num `json:"engagementSequence"`
	} `json:"info"`
	Transcript struct {
		Lines []struct {
			Source string     `json:"source"`
			By     string     `json:"by"`
			Text   string     `json:"text"`
			TimeL  poller.Num `json:"timeL"`
		} `json:"lines"`
	} `json:"transcript"`
}

var errNoEngagementID = errors.New("chat without engagementId")

// parseEHInteractions reads one interactions/search page and keeps the chats that
// ended unanswered at or after since. It returns the page's record count and the
// filter's total as parseMIConversations does.
func parseEHInteractions(body []byte, since time.Time, text bool) (convs []snapshot.Conversation, records, total int, partial bool, err error) {
	var p ehPage
	if err := lpDecode(body, &p); err != nil {
		return nil, 0, 0, false, err
	}
	records = len(p.Records)
	total, partial = pickMeta(p.Metadata, p.Metadata2).read(records)
	for _, r := range p.Records {
		id := strings.TrimSpace(r.Info.EngagementID)
		if id == "" {
			return nil, 0, 0, false, errNoEngagementID
		}
		ended := lpTime(r.Info.EndTimeL, r.Info.EndTime)
		if ended.IsZero() || ended.Before(since) {
			continue
		}
		state, ok := r.unanswered()
		if !ok {
			continue
		}
		c := snapshot.Conversation{ID: id, Channel: snapshot.Chat, State: state, Origin: "Web", Ended: ended}
		c.WaitingSince = lpTime(r.Info.ChatRequestedL, r.Info.ChatRequested)
		if c.WaitingSince.IsZero() {
			c.WaitingSince = lpTime(r.Info.StartTimeL, r.Info.StartTime)
		}
		if c.WaitingSince.IsZero() || c.WaitingSince.After(ended) {
			c.WaitingSince = ended
		}
		if n, ok := r.Info.EngagementSeqNum.Value(); ok && n > 0 {
			c.Transfers = int(n)
		}
		if text {
			c.Text = r.lastVisitorLine()
		}
		convs = append(convs, c)
	}
	return convs, records, total, partial, nil
}

// unanswered classifies an ended chat (REFERENCE §11.4): a chat in which an agent
// wrote was answered; otherwise "ACD no assignment" is missed, and a chat the
// visitor ended, or one with no visitor line and no agent, was abandoned. Anything
// else (a rep stopped a chat it never wrote in) counts as answered.
func (r ehInteractionJS) unanswered() (snapshot.ConvState, bool) {
	for _, l := range r.Transcript.Lines {
		if strings.EqualFold(l.Source, "agent") {
			return "", false
		}
	}
	if v, ok := r.Info.StartReason.Value(); ok && v == lpStartACDNoAssignment {
		return snapshot.ConvMissed, true
	}
	switch v, _ := r.Info.EndReason.Value(); v {
	case lpEndVisitorDisconnect, lpEndVisitorGone, lpEndVisitorClosed:
		return snapshot.ConvAbandoned, true
	}
	interactive := r.Info.IsInteractive
	if interactive == nil {
		interactive = r.Info.Interactive
	}
	if interactive != nil && !*interactive && !r.Info.AgentID.known() {
		return snapshot.ConvAbandoned, true
	}
	return "", false
}

// lastVisitorLine is the visitor's latest line of the transcript.
func (r ehInteractionJS) lastVisitorLine() string {
	lines := r.Transcript.Lines
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.EqualFold(lines[i].Source, "visitor") && strings.TrimSpace(lines[i].Text) != "" {
			return clip(lines[i].Text)
		}
	}
	return ""
}
