package main

import (
	"strings"
	"testing"
	"time"
)

func TestClusterConfig(t *testing.T) {
	t.Parallel()
	c, err := ParseConfig([]byte("redis_url: redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26379/0?master=ccdash\ncluster: {name: floor-2, lease_ttl: 2s, heartbeat: 200ms}\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Name != "floor-2" || c.Cluster.LeaseTTL.D() != 2*time.Second || c.Cluster.Heartbeat.D() != 200*time.Millisecond {
		t.Errorf("cluster = %+v", c.Cluster)
	}
	for in, want := range map[string]string{
		"redis_url: redis+sentinel://:SECRET@h:26379/0": "redis_url: redis+sentinel: ?master=<name> is required",
		"redis_url: redis://:SECRET@h:6379/x":           "redis_url: not a valid redis://",
		"redis_url: memcache://SECRET@h":                "redis_url: scheme",
		"cluster: {name: Floor One}":                    "cluster.name: use 1-40 of a-z",
		"cluster: {lease_ttl: 100ms}":                   "cluster.lease_ttl: must be between 1s and 5m",
		"cluster: {lease_ttl: 2s, heartbeat: 3s}":       "cluster.heartbeat: must be between 50ms and cluster.lease_ttl",
		"cluster: {heartbeat: 1ms}":                     "cluster.heartbeat",
		"cluster: {ttl: 3s}":                            "ttl",
	} {
		_, err := ParseConfig([]byte(in), func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want it to say %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: error quotes the password: %v", in, err)
		}
	}
}
