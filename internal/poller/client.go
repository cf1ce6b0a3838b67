package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Client is the one way connectors talk HTTP to a vendor. It waits for the request
// budget, applies a per-request timeout and a response size cap, counts requests and
// 429s, and turns every failure into a classified *Error.
type Client struct {
	// HTTP sends the requests. Nil means a client with no overall timeout (the
	// per-request Timeout applies).
	HTTP *http.Client
	// Budget limits requests per window. Nil means unlimited.
	Budget *Budget
	// Timeout bounds one request, headers and body. Zero means 10s.
	Timeout time.Duration
	// MaxBody caps a response body in bytes. Zero means 8 MiB.
	MaxBody int64
	// UserAgent is sent on every request. Empty means "ccdash".
	UserAgent string

	requests    atomic.Int64
	rateLimited atomic.Int64
}

// Requests returns how many requests were sent.
func (c *Client) Requests() int64 { return c.requests.Load() }

// RateLimited returns how many 429 answers were received.
func (c *Client) RateLimited() int64 { return c.rateLimited.Load() }

// Do sends req and decodes a 2xx JSON answer into out (out may be nil to discard).
// op names the call for errors and logs.
func (c *Client) Do(ctx context.Context, req *http.Request, op string, out any) error {
	body, err := c.Raw(ctx, req, op)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Kind: snapshot.ErrBadResponse, Op: op, Err: err}
	}
	return nil
}

// Raw sends req and returns a 2xx answer's body.
func (c *Client) Raw(ctx context.Context, req *http.Request, op string) ([]byte, error) {
	if c.Budget != nil {
		if err := c.Budget.Wait(ctx); err != nil {
			return nil, &Error{Kind: snapshot.ErrTimeout, Op: op, Err: fmt.Errorf("waiting for request budget: %w", err)}
		}
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req = req.WithContext(ctx)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "ccdash"
	}
	req.Header.Set("User-Agent", ua)

	hc := http.Client{}
	if c.HTTP != nil {
		hc = *c.HTTP // a copy, so the origin rule below cannot be switched off by the caller
	}
	hc.CheckRedirect = sameOrigin
	c.requests.Add(1)
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, ErrRedirected) {
			return nil, &Error{Kind: snapshot.ErrRequest, Op: op, Err: ErrRedirected}
		}
		return nil, &Error{Kind: transportKind(ctx, err), Op: op, Err: stripURL(err)}
	}
	defer resp.Body.Close()

	limit := c.MaxBody
	if limit == 0 {
		limit = 8 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &Error{Kind: transportKind(ctx, err), Op: op, Status: resp.StatusCode, Err: stripURL(err)}
	}
	if int64(len(body)) > limit {
		return nil, &Error{Kind: snapshot.ErrBadResponse, Op: op, Status: resp.StatusCode, Err: errBodyTooLarge}
	}

	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return body, nil
	case code == http.StatusTooManyRequests:
		c.rateLimited.Add(1)
		return nil, &Error{Kind: snapshot.ErrRateLimited, Op: op, Status: code,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), Err: errors.New("rate limited")}
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return nil, &Error{Kind: snapshot.ErrAuth, Op: op, Status: code, Err: errors.New(http.StatusText(code))}
	case code >= 500:
		return nil, &Error{Kind: snapshot.ErrServer, Op: op, Status: code,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), Err: errors.New(http.StatusText(code))}
	default:
		return nil, &Error{Kind: snapshot.ErrRequest, Op: op, Status: code, Err: errors.New(http.StatusText(code))}
	}
}

// ErrRedirected is the cause of an *Error when the vendor redirected a request to
// another origin: the client refuses it, so credentials (Authorization, a password
// grant body, an API key query) never leave the configured origin and no data from
// elsewhere is accepted.
var ErrRedirected = errors.New("redirected to another host — check base_url")

// maxRedirects is how many same-origin redirects one request may follow.
const maxRedirects = 10

// sameOrigin is the CheckRedirect rule for every vendor request: a redirect is
// followed only to the same scheme, host and port as the original request (so never
// https→http), at most maxRedirects times. Go's default would follow any redirect and
// keep Authorization for the same host name on another port, and re-send a POST body
// on a 307.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirected, maxRedirects)
	}
	from, to := via[0].URL, req.URL
	if !strings.EqualFold(from.Scheme, to.Scheme) || !strings.EqualFold(from.Hostname(), to.Hostname()) ||
		effectivePort(from) != effectivePort(to) {
		return ErrRedirected
	}
	return nil
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// transportKind tells a timeout from other transport failures.
func transportKind(ctx context.Context, err error) snapshot.ErrorKind {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
		return snapshot.ErrTimeout
	}
	return snapshot.ErrNetwork
}

// stripURL drops the request URL from transport errors: URLs can carry credentials
// (Comm100 siteId, LivePerson OAuth query parameters), and errors reach logs and pages.
func stripURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// maxRetryAfter bounds a parsed Retry-After so huge values cannot overflow; the
// scheduler caps the wait again at the source's MaxBackoff.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date, at most
// maxRetryAfter.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}
