package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// stormWait bounds the storm: the goal is every socket back within 20 s, and a
// socket still out after this long is reported as not back.
const stormWait = 90 * time.Second

// storm restarts the server (SIGINT, then the same command again: same port, same
// data directory, so the same device link) and waits until every client has
// reconnected on its own and received its first message, then reads the new
// process's memory peak, the burst included.
func storm(ctx context.Context, s *server, clients []*client) (*stormResult, error) {
	t0 := time.Now()
	s.stop()
	exited := time.Now()
	if err := s.start(ctx); err != nil {
		return nil, fmt.Errorf("storm: restart: %w", err)
	}
	up := time.Now() // the new process prints its links once it is listening
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for backCount(clients) < len(clients) && time.Since(t0) < stormWait {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	res := collectStorm(clients, t0, up)
	res.exited, res.up = exited.Sub(t0), up.Sub(t0)
	var err error
	if res.hwm, err = peakRSS(s.pid()); err != nil {
		return nil, err
	}
	return res, nil
}

// backCount is how many clients have a second connection with a first message.
func backCount(clients []*client) int {
	n := 0
	for _, c := range clients {
		c.mu.Lock()
		if len(c.backAt) >= 2 {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

// collectStorm reads what the clients saw since the restart at t0 (the new
// process serving from up): when each came back, whether its first message was a
// full state, and every dial that failed, by reason.
func collectStorm(clients []*client, t0, up time.Time) *stormResult {
	res := &stormResult{sockets: len(clients), reasons: map[string]int{}}
	for _, c := range clients {
		c.mu.Lock()
		if len(c.backAt) >= 2 {
			res.returns = append(res.returns, c.backAt[1].Sub(t0))
			if c.shapes[1].covers(c.shapes[0]) {
				res.fullState++
			}
			if len(c.backAt) > 2 {
				res.again++
			}
		}
		for _, f := range c.fails {
			res.reasons[reason(f.err)]++
			if f.refused() && f.at.Before(up) {
				res.refused++ // nothing listened: the restart itself, not a handshake
			} else {
				res.failed++
			}
		}
		c.mu.Unlock()
	}
	slices.Sort(res.returns)
	return res
}

// failure is one dial that gave no socket: refused, cut, or answered other than 101.
type failure struct {
	at  time.Time // when the dial began (a loaded probe may see its end late)
	err error
}

func (f failure) refused() bool { return errors.Is(f.err, syscall.ECONNREFUSED) }

// redial waits and dials again until a dial gives a socket, with the back-off of
// the wall page: web/static/vendor/ws.js (htmx's ws extension, which app.js leaves
// on its default htmx.config.wsReconnectDelay "full-jitter") reconnects after
// 1006, 1011, 1012 and 1013 after a uniformly random wait below 1 s · 2^retries,
// retries capped at 6 (64 s), counted from the last open; a refused dial or a
// failed handshake is a 1006 to the page, so every failure here doubles the cap
// as it does there. (app.js's own, capped at 30 s, is only for clean closes the
// extension does not retry; a restart closes with 1012.)
func (c *client) redial(ctx context.Context, dial func() (*websocket.Conn, error)) *websocket.Conn {
	for retries := 0; ; retries++ {
		wait := time.Duration(rand.Int64N(int64(time.Second) << min(retries, 6)))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
		at := time.Now()
		conn, err := dial()
		if err == nil {
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		c.mu.Lock()
		c.fails = append(c.fails, failure{at, err})
		c.mu.Unlock()
	}
}
