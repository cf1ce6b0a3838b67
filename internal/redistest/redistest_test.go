package redistest

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestStartKillRestart(t *testing.T) {
	t.Parallel()
	s := Start(t)
	opt, err := redis.ParseURL(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := t.Context()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	s.Kill()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("PING answered after Kill")
	}
	s.Restart()
	if got, err := c.Get(ctx, "k").Result(); err != redis.Nil {
		t.Errorf("after restart GET k = %q, %v; want redis.Nil (no persistence)", got, err)
	}
}

func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	s := StartSentinel(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var addrs []string
	for _, x := range s.Sentinels {
		addrs = append(addrs, x.Addr())
	}
	c := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: MasterName, SentinelAddrs: addrs})
	defer c.Close()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	was, err := s.MasterAddr(ctx)
	if err != nil || was != s.Master.Addr() {
		t.Fatalf("master = %q, %v; want %s", was, err, s.Master.Addr())
	}
	s.Master.Kill()
	now := s.WaitFailover(t, was, 45*time.Second)
	if now != s.Replica.Addr() {
		t.Errorf("new master %s, want the replica %s", now, s.Replica.Addr())
	}
	for {
		if err := c.Set(ctx, "k2", "v", 0).Err(); err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the failover client never wrote to the new master")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
