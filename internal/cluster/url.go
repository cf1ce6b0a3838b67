package cluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// sentinelScheme is the URL scheme of a Sentinel set: the addresses are the sentinels'.
const sentinelScheme = "redis+sentinel"

// ParseURL checks a redis_url and returns the client it names: redis:// and rediss://
// (TLS) reach one server; redis+sentinel://[user:password@]host:port[,host:port…][/db]?master=name
// reaches the master a Sentinel set names, following its failovers (go-redis
// FailoverClient). The error never quotes the URL: it may hold a password.
func ParseURL(raw string) (*redis.Options, *redis.FailoverOptions, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, nil, errors.New("not a redis://, rediss:// or redis+sentinel:// URL")
	}
	switch scheme {
	case "redis", "rediss":
		o, err := redis.ParseURL(raw)
		if err != nil {
			return nil, nil, errors.New("not a valid redis:// or rediss:// URL (redis://[user:password@]host:port[/db])")
		}
		return o, nil, nil
	case sentinelScheme:
		f, err := parseSentinel(rest)
		return nil, f, err
	}
	return nil, nil, fmt.Errorf("scheme %q: want redis, rediss or redis+sentinel", truncate(scheme, 20))
}

func parseSentinel(rest string) (*redis.FailoverOptions, error) {
	rest, query, _ := strings.Cut(rest, "?")
	hosts, path, _ := strings.Cut(rest, "/")
	var user *url.Userinfo
	if at := strings.LastIndexByte(hosts, '@'); at >= 0 {
		u, err := url.Parse("redis://" + hosts[:at+1] + "x")
		if err != nil {
			return nil, errors.New("redis+sentinel: bad user:password part")
		}
		user, hosts = u.User, hosts[at+1:]
	}
	f := &redis.FailoverOptions{}
	for _, h := range strings.Split(hosts, ",") {
		host, port, err := net.SplitHostPort(h)
		if err != nil || host == "" {
			return nil, errors.New("redis+sentinel: each sentinel must be host:port")
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, errors.New("redis+sentinel: bad sentinel port")
		}
		f.SentinelAddrs = append(f.SentinelAddrs, h)
	}
	if path != "" {
		db, err := strconv.Atoi(path)
		if err != nil || db < 0 {
			return nil, errors.New("redis+sentinel: the path must be a database number")
		}
		f.DB = db
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, errors.New("redis+sentinel: bad query")
	}
	for k := range q {
		if k != "master" {
			return nil, fmt.Errorf("redis+sentinel: unknown parameter %q (only master)", truncate(k, 20))
		}
	}
	if f.MasterName = q.Get("master"); f.MasterName == "" {
		return nil, errors.New("redis+sentinel: ?master=<name> is required")
	}
	if user != nil {
		// The same credentials open the master and the sentinels (the common setup).
		f.Username = user.Username()
		f.Password, _ = user.Password()
		f.SentinelUsername, f.SentinelPassword = f.Username, f.Password
	}
	return f, nil
}

// NewClient returns the client for a redis_url (see ParseURL).
func NewClient(raw string) (*redis.Client, error) {
	o, f, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	if f != nil {
		return redis.NewFailoverClient(f), nil
	}
	return redis.NewClient(o), nil
}

// Describe is the URL's addresses without credentials, for logs.
func Describe(raw string) string {
	o, f, err := ParseURL(raw)
	switch {
	case err != nil:
		return "invalid"
	case f != nil:
		return "sentinel " + strings.Join(f.SentinelAddrs, ",") + " master " + f.MasterName
	}
	return o.Addr
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
