package liveperson

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// lpTokenEarly renews a Sentinel token this long before it expires, so a poll never
// starts with a token that dies mid-way.
const lpTokenEarly = 2 * time.Minute

// lpTokenDefaultLife is assumed when Sentinel sends neither expires_in nor a readable
// JWT exp (the documented v2 example has no expires_in; its JWT lives 1 h).
const lpTokenDefaultLife = 30 * time.Minute

// sentinelOp names the token call in errors and logs.
const sentinelOp = "liveperson sentinel token"

// newSentinelTokens returns the OAuth 2.0 client-credentials token cache for
// LivePerson Sentinel v2: the core's poller.TokenCache (one shared fetch, no lock
// across the request, each caller's ctx honoured) keyed by the token URL, which
// comes from the Domain API (https://{sentinel}/sentinel/api/v2/account/{id}/app/token).
// Tokens are fetched through the connector's Client, so they count against the
// request budget and fail with a classified *poller.Error, and renewed lpTokenEarly
// before expiry.
//
// Neither oauth2.ReuseTokenSource nor x/oauth2/clientcredentials is used:
// oauth2.TokenSource has no context, the latter also bypasses the budget and, when
// Sentinel omits expires_in, caches the token forever.
func newSentinelTokens(c *poller.Client, clientID, clientSecret string, now func() time.Time) *poller.TokenCache {
	if now == nil {
		now = time.Now
	}
	f := &sentinelFetch{c: c, id: clientID, secret: clientSecret, now: now}
	return poller.NewTokenCache(f.token, now)
}

// sentinelFetch fetches one token per call.
type sentinelFetch struct {
	c          *poller.Client
	id, secret string
	now        func() time.Time
}

func (f *sentinelFetch) token(ctx context.Context, tokenURL string) (poller.Token, error) {
	form := url.Values{"client_id": {f.id}, "client_secret": {f.secret}, "grant_type": {"client_credentials"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return poller.Token{}, &poller.Error{Kind: snapshot.ErrRequest, Op: sentinelOp, Err: errors.New("bad token URL")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var body struct {
		AccessToken string   `json:"access_token"`
		TokenType   string   `json:"token_type"`
		ExpiresIn   *float64 `json:"expires_in"`
	}
	if err := f.c.Do(ctx, req, sentinelOp, &body); err != nil {
		return poller.Token{}, err
	}
	if body.AccessToken == "" {
		return poller.Token{}, &poller.Error{Kind: snapshot.ErrBadResponse, Op: sentinelOp, Err: errors.New("no access_token")}
	}
	now := f.now()
	var expiry time.Time
	switch exp := jwtExpiry(body.AccessToken); {
	case body.ExpiresIn != nil && *body.ExpiresIn > 0 && *body.ExpiresIn < 1e9:
		expiry = now.Add(time.Duration(*body.ExpiresIn * float64(time.Second)))
	case exp.After(now.Add(lpTokenEarly)):
		expiry = exp
	default:
		expiry = now.Add(lpTokenDefaultLife)
	}
	return poller.Token{Value: body.AccessToken, RenewAt: expiry.Add(-lpTokenEarly)}, nil
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
