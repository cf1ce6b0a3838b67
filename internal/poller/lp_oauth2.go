package poller

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpTokenEarly renews a Sentinel token this long before it expires, so a poll never
// starts with a token that dies mid-way.
const lpTokenEarly = 2 * time.Minute

// lpTokenDefaultLife is assumed when Sentinel sends neither expires_in nor a readable
// JWT exp (the documented v2 example has no expires_in; its JWT lives 1 h).
const lpTokenDefaultLife = 30 * time.Minute

// SentinelTokens is an OAuth 2.0 client-credentials token source for LivePerson
// Sentinel v2. Tokens are fetched through the connector's Client (so they count
// against the request budget and fail with a classified *Error), cached, renewed
// lpTokenEarly before expiry, and fetched by one caller at a time: concurrent callers
// wait for the one refresh instead of stampeding Sentinel.
//
// The fetch runs under the calling poll's context, so a cancelled poll (shutdown)
// stops waiting for the request budget at once. oauth2.TokenSource has no context,
// which is why neither oauth2.ReuseTokenSource nor x/oauth2/clientcredentials is used
// (the latter also bypasses the budget and, when Sentinel omits expires_in, caches
// the token forever).
type SentinelTokens struct {
	fetch *sentinelFetch
	now   func() time.Time
	sem   chan struct{} // held while checking or fetching; a channel so waiting obeys ctx

	// Guarded by sem.
	tok *oauth2.Token
	url string // token URL tok was fetched from
}

// NewSentinelTokens returns a token source for client id/secret. The token URL is
// given per call (Token) because the Sentinel host comes from the Domain API.
func NewSentinelTokens(c *Client, clientID, clientSecret string, now func() time.Time) *SentinelTokens {
	if now == nil {
		now = time.Now
	}
	return &SentinelTokens{
		fetch: &sentinelFetch{c: c, id: clientID, secret: clientSecret, now: now},
		now:   now,
		sem:   make(chan struct{}, 1),
	}
}

// Token returns a valid access token for the token endpoint tokenURL
// (https://{sentinel}/sentinel/api/v2/account/{accountId}/app/token), fetching one
// under ctx when none is cached or it is about to expire.
func (s *SentinelTokens) Token(ctx context.Context, tokenURL string) (string, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return "", &Error{Kind: snapshot.ErrTimeout, Op: "liveperson sentinel token", Err: ctx.Err()}
	}
	defer func() { <-s.sem }()
	if s.tok != nil && s.url == tokenURL && s.now().Before(s.tok.Expiry.Add(-lpTokenEarly)) {
		return s.tok.AccessToken, nil
	}
	tk, err := s.fetch.Token(ctx, tokenURL)
	if err != nil {
		return "", err
	}
	s.tok, s.url = tk, tokenURL
	return tk.AccessToken, nil
}

// Invalidate drops the cached token, so the next Token fetches a new one (after a
// 401 on a data call: the token was revoked or the clocks disagree). It waits for a
// fetch in progress, which the fetching poll's context bounds.
func (s *SentinelTokens) Invalidate() {
	s.sem <- struct{}{}
	s.tok = nil
	<-s.sem
}

// sentinelFetch fetches one token per call.
type sentinelFetch struct {
	c          *Client
	id, secret string
	now        func() time.Time
}

func (f *sentinelFetch) Token(ctx context.Context, tokenURL string) (*oauth2.Token, error) {
	form := url.Values{"client_id": {f.id}, "client_secret": {f.secret}, "grant_type": {"client_credentials"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &Error{Kind: snapshot.ErrRequest, Op: "liveperson sentinel token", Err: errors.New("bad token URL")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var body struct {
		AccessToken string   `json:"access_token"`
		TokenType   string   `json:"token_type"`
		ExpiresIn   *float64 `json:"expires_in"`
	}
	if err := f.c.Do(ctx, req, "liveperson sentinel token", &body); err != nil {
		return nil, err
	}
	if body.AccessToken == "" {
		return nil, &Error{Kind: snapshot.ErrBadResponse, Op: "liveperson sentinel token", Err: errors.New("no access_token")}
	}
	now := f.now()
	tk := &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType}
	switch exp := jwtExpiry(body.AccessToken); {
	case body.ExpiresIn != nil && *body.ExpiresIn > 0:
		tk.Expiry = now.Add(time.Duration(*body.ExpiresIn * float64(time.Second)))
	case exp.After(now.Add(lpTokenEarly)):
		tk.Expiry = exp
	default:
		tk.Expiry = now.Add(lpTokenDefaultLife)
	}
	return tk, nil
}

// jwtExpiry reads the exp claim of a JWT without verifying it (the token is only
// passed back to LivePerson; its expiry just tells us when to renew). Zero if absent.
func jwtExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(claims.Exp), 0)
}
