package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// stormResult is a reconnect storm: every socket dropped at once by a restart.
type stormResult struct {
	allBack time.Duration // restart → the last socket has its full state again
	back    int           // sockets back within the wait
	failed  int           // handshakes the new server answered but did not complete
	why     string        // the first of them
	dying   int           // handshakes cut by the old server as it shut down
	refused int           // dials refused while no server listened (expected)
	rssPeak int64         // the new process's peak RSS during the storm, bytes
}

func (r *stormResult) print(w io.Writer, name string, sockets int) {
	fmt.Fprintf(w, "%s storm sockets=%d back=%d all-back-s=%.1f failed-handshakes=%d cut-by-old-process=%d refused-while-down=%d rss-peak-mb=%.1f\n",
		name, sockets, r.back, r.allBack.Seconds(), r.failed, r.dying, r.refused, float64(r.rssPeak)/(1<<20))
	if r.why != "" {
		fmt.Fprintf(w, "%s storm first failed handshake: %s\n", name, r.why)
	}
}

// stormWait bounds the storm: the goal is every socket back within 20 s.
const stormWait = 90 * time.Second

// storm restarts the server (SIGINT, then the same command again: same port, same
// data directory, so the same device link) and waits until every client has
// reconnected on its own and received its full state, sampling the new process's
// memory as the burst lands.
func storm(ctx context.Context, s *server, clients []*client) (*stormResult, error) {
	t0 := time.Now()
	s.stop()
	if err := s.start(ctx); err != nil {
		return nil, fmt.Errorf("storm: restart: %w", err)
	}
	up := time.Now() // the new process prints its links once it is listening
	res := &stormResult{}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if r, err := rss(s.pid()); err == nil {
			res.rssPeak = max(res.rssPeak, r)
		}
		res.back, res.allBack = 0, 0
		for _, c := range clients {
			c.mu.Lock()
			if len(c.backAt) >= 2 {
				res.back++
				res.allBack = max(res.allBack, c.backAt[len(c.backAt)-1].Sub(t0))
			}
			c.mu.Unlock()
		}
		if res.back == len(clients) || time.Since(t0) > stormWait {
			break
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for _, c := range clients {
		c.mu.Lock()
		for _, f := range c.fails {
			if f.at.Before(up) {
				res.dying++
				continue
			}
			res.failed++
			if res.why == "" {
				res.why = f.why
			}
		}
		res.refused += c.refused
		c.mu.Unlock()
	}
	if res.back < len(clients) {
		res.allBack = time.Since(t0) // not all back: say how long we waited
	}
	return res, nil
}
