package poller

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

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
// PasswordCredentialsToken cannot be used). The token is cached and renewed at 90%
// of its lifetime, so a poll never goes out with a token about to expire; token
// requests go through the same Client, so they count against the request budget.
type comm100OAuth struct {
	client   *Client
	tokenURL string
	form     url.Values
	now      func() time.Time

	mu      sync.Mutex
	token   string
	renewAt time.Time
}

// defaultTokenLife is assumed when the token answer has no usable expires_in.
const defaultTokenLife = 10 * time.Minute

func (a *comm100OAuth) authorize(ctx context.Context, req *http.Request) error {
	tok, err := a.bearer(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

func (a *comm100OAuth) reject() {
	a.mu.Lock()
	a.token = ""
	a.mu.Unlock()
}

// bearer returns a valid cached token or fetches a new one. The lock is held across
// the fetch on purpose: concurrent callers wait for one token request instead of
// each sending their own.
func (a *comm100OAuth) bearer(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.now().Before(a.renewAt) {
		return a.token, nil
	}
	const op = "comm100 oauth/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.tokenURL, strings.NewReader(a.form.Encode()))
	if err != nil {
		return "", &Error{Kind: snapshot.ErrRequest, Op: op, Err: errors.New("cannot build token request")}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, err := a.client.Raw(ctx, req, op)
	if err != nil {
		// The token endpoint answers a wrong password or client id with 400
		// (invalid_grant/invalid_client): that is a credentials problem.
		var pe *Error
		if errors.As(err, &pe) && pe.Kind == snapshot.ErrRequest && pe.Status == http.StatusBadRequest {
			pe.Kind = snapshot.ErrAuth
		}
		return "", err
	}
	tok, life, err := parseComm100Token(body)
	if err != nil {
		return "", &Error{Kind: snapshot.ErrBadResponse, Op: op, Err: err}
	}
	a.token = tok
	a.renewAt = a.now().Add(life * 9 / 10)
	return tok, nil
}

// parseComm100Token reads the token answer; the lifetime is defaultTokenLife when
// expires_in is missing or not positive.
func parseComm100Token(body []byte) (string, time.Duration, error) {
	var raw struct {
		AccessToken string  `json:"access_token"`
		TokenType   string  `json:"token_type"`
		ExpiresIn   c100Num `json:"expires_in"`
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
	if d := raw.ExpiresIn.seconds(); d.Or(0) > 0 {
		life = d.Or(0)
	}
	return raw.AccessToken, life, nil
}
