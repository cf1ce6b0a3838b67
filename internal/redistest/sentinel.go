package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name the sentinels monitor the master under.
const MasterName = "ccdash"

// Sentinel is a Sentinel set on loopback: a master, a replica of it and three
// sentinels with a quorum of two, tuned to fail over within seconds.
type Sentinel struct {
	Master, Replica *Server
	Sentinels       []*Server
}

// StartSentinel starts the set and waits until every sentinel knows the master and its
// replica.
func StartSentinel(t testing.TB) *Sentinel {
	t.Helper()
	s := &Sentinel{Master: Start(t)}
	s.Replica = newServer(t, "redis-server", t.TempDir(), nil)
	s.Replica.args = append(s.Replica.args, "--replicaof", "127.0.0.1", strconv.Itoa(s.Master.Port))
	s.Replica.start()
	for range 3 {
		s.Sentinels = append(s.Sentinels, startSentinelProc(t, s.Master.Port))
	}
	s.waitKnown(t)
	return s
}

// startSentinelProc runs one redis-sentinel; its config file must be writable (sentinels
// rewrite it with what they learn).
func startSentinelProc(t testing.TB, masterPort int) *Server {
	t.Helper()
	dir := t.TempDir()
	s := newServer(t, "redis-sentinel", dir, nil)
	conf := filepath.Join(dir, "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
		"sentinel monitor %s 127.0.0.1 %d 2\n"+
		"sentinel down-after-milliseconds %s 1000\n"+
		"sentinel failover-timeout %s 10000\n"+
		"sentinel parallel-syncs %s 1\n", s.Port, dir, MasterName, masterPort, MasterName, MasterName, MasterName)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	s.args = []string{conf}
	s.start()
	return s
}

// URL is the redis+sentinel:// URL ccdash's redis_url takes for this set.
func (s *Sentinel) URL() string {
	addrs := make([]string, len(s.Sentinels))
	for i, x := range s.Sentinels {
		addrs[i] = x.Addr()
	}
	return "redis+sentinel://" + strings.Join(addrs, ",") + "/0?master=" + MasterName
}

// MasterAddr asks a sentinel which address is the master now.
func (s *Sentinel) MasterAddr(ctx context.Context) (string, error) {
	var last error
	for _, x := range s.Sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: x.Addr()})
		addr, err := c.GetMasterAddrByName(ctx, MasterName).Result()
		c.Close()
		if err == nil && len(addr) == 2 {
			return net.JoinHostPort(addr[0], addr[1]), nil
		}
		last = err
	}
	return "", fmt.Errorf("redistest: no sentinel answered: %w", last)
}

// waitKnown waits until every sentinel has seen the replica and the other sentinels,
// so a failover can start as soon as the master dies.
func (s *Sentinel) waitKnown(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, x := range s.Sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: x.Addr()})
		for {
			m, err := c.Master(ctx, MasterName).Result()
			if err == nil && m["num-slaves"] == "1" && m["num-other-sentinels"] == "2" {
				break
			}
			if ctx.Err() != nil {
				c.Close()
				t.Fatalf("sentinel %s never saw the replica and two other sentinels: %v %v\n%s", x.Addr(), m, err, x.Output())
			}
			time.Sleep(100 * time.Millisecond)
		}
		c.Close()
	}
}

// WaitFailover waits until the sentinels name a master other than was, and returns it.
func (s *Sentinel) WaitFailover(t testing.TB, was string, within time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		addr, err := s.MasterAddr(ctx)
		if err == nil && addr != was {
			return addr
		}
		if ctx.Err() != nil {
			t.Fatalf("no failover from %s within %v (last: %q, %v)", was, within, addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
