package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
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

	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	c.requests.Add(1)
	resp, err := hc.Do(req)
	if err != nil {
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

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
