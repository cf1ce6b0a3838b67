package poller

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Source is one vendor account. Poll returns everything the source knows now, or
// an error (preferably an *Error, so the scheduler knows how to back off).
type Source interface {
	ID() string
	Kind() string
	Poll(ctx context.Context) (snapshot.Part, error)
}

// SourceConfig is a source and how to schedule it.
type SourceConfig struct {
	Source Source
	// Client is the client the source sends its requests through; its request and
	// 429 counters go into the source's status. Nil means no counters.
	Client *Client
	// Interval is the time between good polls. Zero means 10s (the vendors'
	// refresh rate).
	Interval time.Duration
	// Jitter is the fraction of the interval by which polls are spread. Zero
	// means 0.1; negative means none.
	Jitter float64
	// MaxBackoff caps the wait after failures. Zero means 5m.
	MaxBackoff time.Duration
	// PollTimeout bounds a whole poll, waits for the request budget included.
	// Zero means 30s.
	PollTimeout time.Duration
}

func (c SourceConfig) withDefaults() SourceConfig {
	if c.Interval <= 0 {
		c.Interval = 10 * time.Second
	}
	switch {
	case c.Jitter == 0:
		c.Jitter = 0.1
	case c.Jitter < 0:
		c.Jitter = 0
	case c.Jitter > 1:
		c.Jitter = 1
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 5 * time.Minute
	}
	if c.MaxBackoff < c.Interval {
		c.MaxBackoff = c.Interval
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 30 * time.Second
	}
	return c
}

// minRateLimitWait is the least a 429 makes a source wait, whatever the vendor says.
const minRateLimitWait = time.Second

// schedule decides how long to wait before the next poll.
type schedule struct {
	cfg SourceConfig // with defaults
	// rnd returns a number in [0, 1); tests fix it.
	rnd func() float64
}

func newSchedule(cfg SourceConfig, seed uint64) schedule {
	r := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	return schedule{cfg: cfg, rnd: r.Float64}
}

// next returns the wait after a poll. err is nil after a good poll; failures counts
// consecutive failed polls, this one included.
//
//   - good poll: Interval ± Jitter.
//   - 429: at least 1s, Retry-After and Interval, plus up to Jitter more — never less,
//     since retrying before the vendor allows only earns another 429.
//   - 5xx, timeout, network, bad answer: Interval·2^(failures-1) ± Jitter, capped at
//     MaxBackoff, and never before a Retry-After the vendor sent.
//   - A Retry-After counts only up to MaxBackoff and no wait is longer than
//     MaxBackoff: "Retry-After: 99999999" must not stop a source for years.
//   - auth and other 4xx: MaxBackoff. Retrying will not fix credentials or a
//     refused request, and a storm of bad logins can lock the account.
func (s schedule) next(err *Error, failures int) time.Duration {
	c := s.cfg
	spread := func(d time.Duration) time.Duration {
		return d + time.Duration(float64(d)*c.Jitter*(2*s.rnd()-1))
	}
	if err == nil {
		return spread(c.Interval)
	}
	switch err.Kind {
	case snapshot.ErrRateLimited:
		d := max(minRateLimitWait, min(err.RetryAfter, c.MaxBackoff), c.Interval)
		return min(d+time.Duration(float64(d)*c.Jitter*s.rnd()), max(c.MaxBackoff, minRateLimitWait))
	case snapshot.ErrAuth, snapshot.ErrRequest:
		return c.MaxBackoff
	default:
		d := c.Interval
		for i := 1; i < failures && d < c.MaxBackoff; i++ {
			d *= 2
		}
		d = min(spread(d), c.MaxBackoff)
		return max(d, min(err.RetryAfter, c.MaxBackoff))
	}
}
