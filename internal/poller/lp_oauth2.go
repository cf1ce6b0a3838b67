package poller

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
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
// lpTokenEarly before expiry, and fetched by one caller at a time:
// oauth2.ReuseTokenSourceWithExpiry holds its lock while fetching, so concurrent
// callers wait for the one refresh instead of stampeding Sentinel.
//
// x/oauth2/clientcredentials is not used directly because it bypasses the request
// budget and, when Sentinel omits expires_in, caches the token forever.
type SentinelTokens struct {
	src oauth2.TokenSource

	mu  sync.Mutex
	url string // token URL the cached source was built for
	new func(tokenURL string) oauth2.TokenSource
}

// NewSentinelTokens returns a token source for client id/secret. The token URL is
// given per call (Token) because the Sentinel host comes from the Domain API.
func NewSentinelTokens(c *Client, clientID, clientSecret string, now func() time.Time) *SentinelTokens {
	if now == nil {
		now = time.Now
	}
	s := &SentinelTokens{}
	s.new = func(tokenURL string) oauth2.TokenSource {
		return oauth2.ReuseTokenSourceWithExpiry(nil, &sentinelFetch{c: c, url: tokenURL, id: clientID, secret: clientSecret, now: now}, lpTokenEarly)
	}
	return s
}

// Token returns a valid access token for the token endpoint tokenURL
// (https://{sentinel}/sentinel/api/v2/account/{accountId}/app/token).
func (s *SentinelTokens) Token(tokenURL string) (string, error) {
	s.mu.Lock()
	if s.src == nil || s.url != tokenURL {
		s.src, s.url = s.new(tokenURL), tokenURL
	}
	src := s.src
	s.mu.Unlock()
	tk, err := src.Token()
	if err != nil {
		return "", err
	}
	return tk.AccessToken, nil
}

// Invalidate drops the cached token, so the next Token fetches a new one (after a
// 401 on a data call: the token was revoked or the clocks disagree).
func (s *SentinelTokens) Invalidate() {
	s.mu.Lock()
	s.src = nil
	s.mu.Unlock()
}

// sentinelFetch fetches one token per call.
type sentinelFetch struct {
	c          *Client
	url        string
	id, secret string
	now        func() time.Time
}

func (f *sentinelFetch) Token() (*oauth2.Token, error) {
	// oauth2.TokenSource has no context; the Client's per-request timeout bounds it.
	form := url.Values{"client_id": {f.id}, "client_secret": {f.secret}, "grant_type": {"client_credentials"}}
	req, err := http.NewRequest(http.MethodPost, f.url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &Error{Kind: snapshot.ErrRequest, Op: "liveperson sentinel token", Err: errors.New("bad token URL")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var body struct {
		AccessToken string   `json:"access_token"`
		TokenType   string   `json:"token_type"`
		ExpiresIn   *float64 `json:"expires_in"`
	}
	if err := f.c.Do(context.Background(), req, "liveperson sentinel token", &body); err != nil {
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
