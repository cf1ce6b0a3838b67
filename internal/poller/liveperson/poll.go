package liveperson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Poll fetches every configured method family and normalizes it into one Part.
// Requests go one after another: LivePerson limits concurrent requests per account
// and asks for smooth, not bursty, traffic.
//
// Requests per poll with the defaults: chat 4 (agentactivity included) + one SLA
// histogram per chat skill;
// messaging 3 + ceil(messaging skills/50) KMM metrics pages; agents
// ceil(agents/50) pages. Once a minute the day figures add chat 2, messaging 2 +
// ceil(messaging skills/50) (today.go). Every 10 minutes add the Domain API (1) and
// account config (skills, status reasons: 2); OAuth 2.0 adds one token request per
// token lifetime.
//
// A method LivePerson documents as "not enabled by default" (EWT, messaging queue
// health) that answers 400/403/404 is left unknown instead of failing the poll; any
// other failure fails the poll with a classified *poller.Error, so the scheduler backs off
// and the board shows the last good data as stale.
func (l *Source) Poll(ctx context.Context) (snapshot.Part, error) {
	now := l.now()
	b := newLPBuild(l.cfg.ID, l.cfg.Timeframe, l.cfg.Bucket, now)
	b.dayStart, b.dayMinutes = l.cfg.Day.Window(now)
	l.applyNames(ctx, b)
	if l.polls(FamilyAgents) {
		if err := l.pollAgents(ctx, b, now); err != nil {
			return snapshot.Part{}, err
		}
	}
	if l.polls(FamilyChat) {
		if err := l.pollChat(ctx, b); err != nil {
			return snapshot.Part{}, err
		}
	}
	if l.polls(FamilyMessaging) {
		if err := l.pollMessaging(ctx, b, now); err != nil {
			return snapshot.Part{}, err
		}
	}
	if err := l.pollDay(ctx, b, now); err != nil {
		return snapshot.Part{}, err
	}
	return b.part(), nil
}

func (l *Source) opsPath(method string) string {
	return "/operations/api/account/" + url.PathEscape(l.cfg.AccountID) + "/" + method
}

func (l *Source) pollChat(ctx context.Context, b *lpBuild) error {
	tf, iv, day := strconv.Itoa(l.cfg.Timeframe), strconv.Itoa(l.cfg.Bucket), strconv.Itoa(b.dayMinutes)
	steps := []struct {
		method string
		q      url.Values
		apply  func([]byte) error
	}{
		{"queuehealth", url.Values{"timeframe": {tf}, "interval": {iv}, "skillIds": {"all"}, "v": {"1"}}, b.queueHealth},
		{"queuestate", url.Values{"skillIds": {"all"}, "v": {"2"}}, b.queueState},
		// Chats each agent handled since the daily reset (HandledToday).
		{"engactivity", url.Values{"timeframe": {day}, "agentIds": {"all"}, "v": {"1"}}, b.engActivity},
	}
	for _, s := range steps {
		body, err := l.call(ctx, http.MethodGet, serviceDataReporting, l.opsPath(s.method), s.q, nil, "liveperson "+s.method)
		if err != nil {
			return err
		}
		if err := s.apply(body); err != nil {
			return badResponse("liveperson "+s.method, err)
		}
	}
	// Agent activity over the day so far; an account without the method keeps going.
	q := url.Values{"timeframe": {day}, "agentIds": {"all"}, "v": {"1"}}
	body, err := l.call(ctx, http.MethodGet, serviceDataReporting, l.opsPath("agentactivity"), q, nil, "liveperson agentactivity")
	switch {
	case notEnabled(err):
	case err != nil:
		return err
	default:
		if err := b.agentActivity(time.Duration(b.dayMinutes)*time.Minute, body); err != nil {
			return badResponse("liveperson agentactivity", err)
		}
	}
	// SLA per chat skill (the histogram has no per-skill breakdown), over the recent
	// window (Interval minutes), like the other "last 30 minutes" figures.
	var chatSkills []string
	for id, s := range b.skills {
		if s.chat != nil {
			chatSkills = append(chatSkills, id)
		}
	}
	slices.Sort(chatSkills)
	for _, id := range chatSkills {
		target := l.slaTarget(id)
		q := url.Values{"timeframe": {iv}, "skillIds": {id}, "histogram": {histogramParam(int(target / time.Second))}, "v": {"1"}}
		body, err := l.call(ctx, http.MethodGet, serviceDataReporting, l.opsPath("sla"), q, nil, "liveperson sla")
		if err != nil {
			return err
		}
		if err := b.sla(id, target, body); err != nil {
			return badResponse("liveperson sla", err)
		}
	}
	return nil
}

func (l *Source) pollMessaging(ctx context.Context, b *lpBuild, now time.Time) error {
	optional := []struct {
		op, service, path string
		q                 url.Values
		apply             func([]byte) error
	}{
		{"msgqueuehealth", serviceDataReporting, l.opsPath("msgqueuehealth/current/"),
			url.Values{"skillIds": {"all"}, "overdueConversations": {"true"}, "metrics": {"queue,waittimes,overdue"}, "v": {"1"}}, b.msgQueueHealth},
		{"msgconversation", serviceDataReporting, l.opsPath("msgconversation"),
			url.Values{"timeframe": {strconv.Itoa(l.cfg.Timeframe)}, "skillIds": {"all"}, "v": {"1"}}, b.msgConversation},
	}
	for _, s := range optional {
		body, err := l.call(ctx, http.MethodGet, s.service, s.path, s.q, nil, "liveperson "+s.op)
		if notEnabled(err) {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.apply(body); err != nil {
			return badResponse("liveperson "+s.op, err)
		}
	}
	if l.cfg.Agents == AgentsKMM {
		req := map[string]any{
			"filters":                 l.kmmFilters(now),
			"groupBy":                 "skillId",
			"responseSections":        []string{"groupBy", "all"},
			"metricsToRetrieveByTime": []string{"avg_wait_time", "closed_conversations"},
			"metricsToRetrieveCurrentValue": []string{"assigned_conversations", "unassigned_conversations", "available_slots",
				"online_agents", "away_agents", "back_soon_agents", "overdue_conversations_total"},
		}
		if err := l.pages(ctx, serviceKMM, "/manager_workspace/api/account/"+url.PathEscape(l.cfg.AccountID)+"/metrics",
			"key:asc", req, "liveperson kmm metrics", b.kmmMetrics); err != nil {
			return err
		}
	}
	ewtPath := "/lp-messaging-ewt-app/api/account/" + url.PathEscape(l.cfg.AccountID) + "/ewt"
	body, err := l.call(ctx, http.MethodGet, serviceEWT, ewtPath, url.Values{"v": {"1"}}, nil, "liveperson ewt")
	switch {
	case notEnabled(err):
	case err != nil:
		return err
	default:
		if err := b.ewt(body); err != nil {
			return badResponse("liveperson ewt", err)
		}
	}
	return nil
}

func (l *Source) pollAgents(ctx context.Context, b *lpBuild, now time.Time) error {
	acct := url.PathEscape(l.cfg.AccountID)
	if l.cfg.Agents == AgentsAgentMetrics {
		return l.pages(ctx, serviceMsgHist, "/messaging_history/api/account/"+acct+"/agent-view/status",
			"", map[string]any{}, "liveperson agent status", b.agentMetricsStatus)
	}
	req := map[string]any{
		"filters":              l.dayFilters(b.dayStart, now), // closed conversations since the reset
		"includeAgentMetadata": true,
		"metricsToRetrieveCurrentValue": []string{"agent_current_status", "agent_current_status_start_time",
			"agent_current_status_reason", "assigned_conversations", "active_conversations", "agent_load", "max_slots"},
		"metricsToRetrieveByTime": []string{"closed_conversations"},
	}
	return l.pages(ctx, serviceKMM, "/manager_workspace/api/account/"+acct+"/agent_view",
		"agentId:asc", req, "liveperson kmm agent_view", b.kmmAgentView)
}

// kmmFilters is the mandatory time filter: the configured window, on whole minutes.
func (l *Source) kmmFilters(now time.Time) map[string]any {
	to := now.Truncate(time.Minute)
	from := to.Add(-time.Duration(l.cfg.Timeframe) * time.Minute)
	return map[string]any{"time": map[string]int64{"from": from.UnixMilli(), "to": to.UnixMilli()}}
}

// pages POSTs body page by page (limit 50, offset+limit ≤ 1000, the documented
// caps) until apply has seen metadata.count rows.
func (l *Source) pages(ctx context.Context, service, path, sort string, body any, op string, apply func([]byte) (int, error)) error {
	for offset := 0; offset+lpKMMPageLimit <= lpKMMMaxRows; offset += lpKMMPageLimit {
		q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(lpKMMPageLimit)}}
		if sort != "" {
			q.Set("sort", sort)
		}
		resp, err := l.call(ctx, http.MethodPost, service, path, q, body, op)
		if err != nil {
			return err
		}
		count, err := apply(resp)
		if err != nil {
			return badResponse(op, err)
		}
		if offset+lpKMMPageLimit >= count {
			return nil
		}
	}
	return nil // more rows than the API lets anyone page through
}

// call sends one authenticated request to service and returns the 2xx body.
func (l *Source) call(ctx context.Context, method, service, path string, q url.Values, body any, op string) ([]byte, error) {
	host, err := l.domains.Host(ctx, service)
	if err != nil {
		return nil, err
	}
	u := l.scheme() + "://" + host + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rdr io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, &poller.Error{Kind: snapshot.ErrRequest, Op: op, Err: err}
		}
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rdr)
	if err != nil {
		return nil, &poller.Error{Kind: snapshot.ErrRequest, Op: op, Err: errors.New("bad request URL")}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := l.authorize(ctx, req); err != nil {
		return nil, err
	}
	resp, err := l.c.Raw(ctx, req, op)
	var pe *poller.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Kind == snapshot.ErrNetwork:
			l.domains.Invalidate() // the account may have moved; ask the Domain API again
		case pe.Kind == snapshot.ErrAuth && pe.Status == http.StatusUnauthorized && l.tokens != nil:
			l.tokens.Invalidate() // a fresh token next poll, not a retry storm now
		}
	}
	return resp, err
}

func (l *Source) scheme() string {
	if l.cfg.Insecure {
		return "http"
	}
	return "https"
}

func (l *Source) authorize(ctx context.Context, req *http.Request) error {
	if l.oauth1 != nil {
		if err := l.oauth1.sign(req); err != nil {
			return &poller.Error{Kind: snapshot.ErrRequest, Op: "liveperson oauth1", Err: err}
		}
		return nil
	}
	host, err := l.domains.Host(ctx, serviceSentinel)
	if err != nil {
		return err
	}
	tok, err := l.tokens.Token(ctx, l.scheme()+"://"+host+"/sentinel/api/v2/account/"+url.PathEscape(l.cfg.AccountID)+"/app/token", sentinelOp)
	if err != nil {
		var pe *poller.Error
		if errors.As(err, &pe) {
			return err
		}
		return &poller.Error{Kind: snapshot.ErrNetwork, Op: "liveperson sentinel token", Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// notEnabled reports whether err says the method is not available on this account:
// refused as a bad request or forbidden, or its service not in the Domain API list.
func notEnabled(err error) bool {
	if errors.Is(err, errServiceNotListed) {
		return true
	}
	var pe *poller.Error
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Kind == snapshot.ErrRequest || (pe.Kind == snapshot.ErrAuth && pe.Status == http.StatusForbidden)
}

func badResponse(op string, err error) error {
	return &poller.Error{Kind: snapshot.ErrBadResponse, Op: op, Err: err}
}

// lpNamesRetry is how long a failed account-config look-up waits before it is tried
// again (at most the TTL): an account without that permission answers 403 every
// time, and asking on every poll would cost two requests a poll for nothing.
const lpNamesRetry = 5 * time.Minute

// lpNamesCache keeps the account-config answers (skill names, away reasons) for a
// TTL: names change rarely and cost two requests.
type lpNamesCache struct {
	ttl time.Duration

	mu              sync.Mutex
	skills, reasons []byte
	fetched         time.Time
	failed          time.Time // last failed refresh; zero after a success
	err             error     // why it failed, for NamesError
}

// due reports whether the names should be fetched at now.
func (nc *lpNamesCache) due(now time.Time) bool {
	if !nc.fetched.IsZero() && now.Sub(nc.fetched) < nc.ttl {
		return false
	}
	return nc.failed.IsZero() || now.Sub(nc.failed) >= min(lpNamesRetry, nc.ttl)
}

// NamesError returns why the last account-config look-up (skill names, away
// reasons) failed, or nil. The poll goes on without names, so this is the only place
// the failure shows.
func (l *Source) NamesError() error {
	l.names.mu.Lock()
	defer l.names.mu.Unlock()
	return l.names.err
}

// applyNames applies cached account config, refreshing it when due. A failure keeps
// the old names: names are cosmetic and must not blank a board.
func (l *Source) applyNames(ctx context.Context, b *lpBuild) {
	nc := l.names
	nc.mu.Lock()
	defer nc.mu.Unlock()
	if nc.due(b.now) {
		base := "/api/account/" + url.PathEscape(l.cfg.AccountID) + "/configuration/"
		skills, err1 := l.call(ctx, http.MethodGet, serviceAccountConfig, base+"le-users/skills", url.Values{"v": {"2.0"}}, nil, "liveperson skills")
		reasons, err2 := l.call(ctx, http.MethodGet, serviceAccountConfig, base+"le-agents/status-reasons", url.Values{"v": {"2.0"}}, nil, "liveperson status reasons")
		if err1 == nil {
			nc.skills = skills
		}
		if err2 == nil {
			nc.reasons = reasons
		}
		if err1 == nil && err2 == nil {
			nc.fetched, nc.failed, nc.err = b.now, time.Time{}, nil
		} else {
			nc.failed, nc.err = b.now, errors.Join(err1, err2)
		}
	}
	if nc.skills != nil {
		_ = b.configSkills(nc.skills) // a bad answer just leaves ids as names
	}
	if nc.reasons != nil {
		_ = b.configReasons(nc.reasons)
	}
}

// Check proves the account and credentials: the Domain API look-up of the reporting
// host, then one signed call (queuestate, the smallest chat report), after the
// OAuth 2.0 token request for a client-credentials app. It is `dashboard
// check-config --online`'s call; its error is the poll's (*poller.Error, kind auth
// for refused credentials).
func (l *Source) Check(ctx context.Context) error {
	q := url.Values{"skillIds": {"all"}, "v": {"2"}}
	_, err := l.call(ctx, http.MethodGet, serviceDataReporting, l.opsPath("queuestate"), q, nil, "liveperson queuestate")
	return err
}
