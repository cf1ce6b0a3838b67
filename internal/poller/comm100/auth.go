package comm100

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// comm100Auth signs data calls with one of the two documented methods.
type comm100Auth interface {
	// authorize adds credentials to req (and may fetch a token first).
	authorize(ctx context.Context, req *http.Request) error
	// reject is told that a data call was answered 401, so cached credentials are
	// not reused.
	reject()
}

// comm100APIKey is HTTP Basic (agent email : API key) plus the siteId query
// parameter the docs require on every call with this method.
type comm100APIKey struct {
	email, key string
	siteID     int
}

func (a *comm100APIKey) authorize(_ context.Context, req *http.Request) error {
	req.SetBasicAuth(a.email, a.key)
	q := req.URL.Query()
	q.Set("siteId", strconv.Itoa(a.siteID))
	req.URL.RawQuery = q.Encode()
	return nil
}

func (a *comm100APIKey) reject() {}

// comm100OAuth is the OAuth 2.0 password grant Comm100 documents (with an `email`
// field, not the RFC's `username`, which is why golang.org/x/oauth2's
// PasswordCredentialsToken cannot be used). The token lives in the core's
// poller.TokenCache (shared fetch, no lock across the request, ctx honoured) and is
// renewed at 90% of its lifetime, so a poll never goes out with a token about to
// expire; token requests go through the same Client, so they count against the
// request budget.
type comm100OAuth struct {
	client   *poller.Client
	tokenURL string
	form     url.Values
	now      func() time.Time
	tokens   *poller.TokenCache
}

const tokenOp = "comm100 oauth/token"

func newOAuth(c *poller.Client, cfg Config) *comm100OAuth {
	a := &comm100OAuth{client: c, tokenURL: cfg.TokenURL, now: time.Now, form: url.Values{
		"grant_type": {"password"}, "email": {cfg.Email}, "password": {cfg.Password}, "client_id": {cfg.ClientID},
	}}
	// The clock is read through a, so tests can move it.
	a.tokens = poller.NewTokenCache(a.fetch, func() time.Time { return a.now() })
	return a
}

// defaultTokenLife is assumed when the token answer has no usable expires_in.
const defaultTokenLife = 10 * time.Minute

func (a *comm100OAuth) authorize(ctx context.Context, req *http.Request) error {
	tok, err := a.tokens.Token(ctx, a.tokenURL, tokenOp)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

func (a *comm100OAuth) reject() { a.tokens.Invalidate() }

// fetch asks the token endpoint for a new token.
func (a *comm100OAuth) fetch(ctx context.Context, tokenURL string) (poller.Token, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(a.form.Encode()))
	if err != nil {
		return poller.Token{}, &poller.Error{Kind: snapshot.ErrRequest, Op: tokenOp, Err: errors.New("cannot build token request")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, err := a.client.Raw(ctx, req, tokenOp)
	if err != nil {
		// The token endpoint answers a wrong password or client id with 400
		// (invalid_grant/invalid_client): that is a credentials problem.
		var pe *poller.Error
		if errors.As(err, &pe) && pe.Kind == snapshot.ErrRequest && pe.Status == http.StatusBadRequest {
			pe.Kind = snapshot.ErrAuth
		}
		return poller.Token{}, err
	}
	tok, life, err := parseComm100Token(body)
	if err != nil {
		return poller.Token{}, &poller.Error{Kind: snapshot.ErrBadResponse, Op: tokenOp, Err: err}
	}
	return poller.Token{Value: tok, RenewAt: a.now().Add(life * 9 / 10)}, nil
}

// parseComm100Token reads the token answer; the lifetime is defaultTokenLife when
// expires_in is missing or not positive.
func parseComm100Token(body []byte) (string, time.Duration, error) {
	var raw struct {
		AccessToken string     `json:"access_token"`
		TokenType   string     `json:"token_type"`
		ExpiresIn   poller.Num `json:"expires_in"`
	}
	if err := c100Decode(body, '{', &raw); err != nil {
		return "", 0, err
	}
	if raw.AccessToken == "" {
		return "", 0, errors.New("token answer has no access_token")
	}
	if raw.TokenType != "" && !strings.EqualFold(raw.TokenType, "bearer") {
		return "", 0, errors.New("token answer is not a bearer token")
	}
	life := defaultTokenLife
	if d := raw.ExpiresIn.Seconds(); d.Or(0) > 0 {
		life = d.Or(0)
	}
	return raw.AccessToken, life, nil
}
