package liveperson

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// serviceEngHist is the Domain API name of Engagement History (chat, ended chats).
// Messaging Interactions is serviceMsgHist.
const serviceEngHist = "engHistDomain"

// lpSearchMaxPages bounds one drill-down refresh per method: beyond it the list is
// marked truncated rather than spending the source's budget on it.
const lpSearchMaxPages = 3

// ErrBudgetReserved is returned by Conversations when the source's request budget is
// so far used in the current window that a refresh would eat into the share the
// regular poll needs. The caller keeps its last list and tries at its next refresh.
var ErrBudgetReserved error = budgetReserved{}

type budgetReserved struct{}

func (budgetReserved) Error() string { return "request budget reserved for the board's poll" }

// Summary is the text a page shows (the same: it holds nothing secret).
func (e budgetReserved) Summary() string { return e.Error() }

// Conversations fetches the conversations behind skill skillID's figures for a
// drill-down: the open messaging conversations (Messaging Interactions) when
// channels has messaging, and the chats that ended unanswered in the last 30 minutes
// (Engagement History) when it has chat. A method the account does not have
// (400/403/404, or its service not in the Domain API) leaves its list nil and says so
// in Err; any other failure is returned. Text (the latest customer message) is
// requested and kept only when text is set. It costs ⌈open/100⌉ + ⌈ended chats of
// the last 45 min/100⌉ requests, each at most lpSearchMaxPages, through the source's
// client and budget; it refuses to start (ErrBudgetReserved) while fewer than a
// quarter of the budget's window remain.
func (l *Source) Conversations(ctx context.Context, skillID string, channels []snapshot.Channel, text bool) (snapshot.Conversations, error) {
	out := snapshot.Conversations{Skill: l.cfg.ID + ":" + skillID}
	if b := l.c.Budget; b != nil && b.Limit() > 0 && b.Free() < max(b.Limit()/4, 1) {
		return out, ErrBudgetReserved
	}
	now := l.now()
	acct := url.PathEscape(l.cfg.AccountID)
	if slices.Contains(channels, snapshot.Messaging) {
		out.Open = []snapshot.Conversation{}
		trunc, err := l.searchPages(ctx, serviceMsgHist, "/messaging_history/api/account/"+acct+"/conversations/search",
			miSearchBody(skillID, now, text), "liveperson conversations/search",
			func(body []byte) (int, int, bool, error) {
				cs, records, total, partial, err := parseMIConversations(body, text)
				out.Open = append(out.Open, cs...)
				return records, total, partial, err
			})
		switch {
		case notEnabled(err):
			out.Open, out.Err = nil, "Messaging Interactions is not enabled for this account or API key."
		case err != nil:
			return out, err
		}
		out.Truncated = out.Truncated || trunc
		snapshot.SortOpen(out.Open)
	}
	if slices.Contains(channels, snapshot.Chat) {
		out.Unanswered = []snapshot.Conversation{}
		since := now.Add(-snapshot.UnansweredWindow)
		trunc, err := l.searchPages(ctx, serviceEngHist, "/interaction_history/api/account/"+acct+"/interactions/search",
			ehSearchBody(skillID, now), "liveperson interactions/search",
			func(body []byte) (int, int, bool, error) {
				cs, records, total, partial, err := parseEHInteractions(body, since, text)
				out.Unanswered = append(out.Unanswered, cs...)
				return records, total, partial, err
			})
		switch {
		case notEnabled(err):
			out.Unanswered = nil
			out.Err = strings.TrimSpace(out.Err + " Engagement History is not enabled for this account or API key.")
		case err != nil:
			return out, err
		}
		out.Truncated = out.Truncated || trunc
		snapshot.SortEnded(out.Unanswered)
	}
	out.FetchedAt = now
	return out, nil
}

// searchPages POSTs body page by page (limit 100, sort start:asc, the documented
// source name) until offset reaches the filter's total, a page comes back empty, or
// lpSearchMaxPages were read (truncated). apply returns the page's record count, the
// total and whether shards failed (a partial answer counts as truncated).
func (l *Source) searchPages(ctx context.Context, service, path string, body any, op string,
	apply func([]byte) (records, total int, partial bool, err error)) (truncated bool, err error) {
	for page, offset := 0, 0; ; page++ {
		if page == lpSearchMaxPages {
			return true, nil
		}
		q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(lpSearchLimit)},
			"sort": {"start:asc"}, "v": {"1"}, "source": {lpSearchSource}}
		resp, err := l.call(ctx, http.MethodPost, service, path, q, body, op)
		if err != nil {
			return false, err
		}
		if len(resp) == 0 {
			return truncated, nil // 204 No Content: nothing matches
		}
		records, total, partial, err := apply(resp)
		if err != nil {
			return false, badResponse(op, err)
		}
		truncated = truncated || partial
		offset += records
		if records == 0 || offset >= total {
			return truncated, nil
		}
	}
}

// convsSource is what the drill-down needs of a source; checked at compile time so
// a signature drift breaks the build, not the wiring.
var _ interface {
	Conversations(context.Context, string, []snapshot.Channel, bool) (snapshot.Conversations, error)
} = (*Source)(nil)
