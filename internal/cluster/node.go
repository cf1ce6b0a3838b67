package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Defaults (Options says where they apply).
const (
	DefaultTTL       = 10 * time.Second
	DefaultHeartbeat = time.Second
	DefaultName      = "default"
)

// LinkDownReason is the text every source shows while this replica cannot reach Redis.
const LinkDownReason = "cluster link down"

// ErrNotLeader is what a vendor request gets from GuardTransport on a replica that does
// not hold the lease (or whose lease deadline passed).
var ErrNotLeader = errors.New("cluster: this replica does not hold the poller lease")

// Options configures a Node.
type Options struct {
	// Client reaches the shared Redis (a FailoverClient for Sentinel). Required.
	Client *redis.Client
	// Name separates fleets sharing one Redis: keys are ccdash:{Name}:…. Empty means
	// DefaultName.
	Name string
	// TTL is the lease's lifetime; it is renewed every TTL/3. Zero means 10s.
	TTL time.Duration
	// Heartbeat is how often the leader says it is alive; a follower that hears nothing
	// for three heartbeats resubscribes and reloads the latest snapshot. Zero means 1s.
	Heartbeat time.Duration
	// Store is this replica's snapshot store: what its pages and sockets show.
	Store *snapshot.Store
	// Lead runs the poller into out until ctx is done, while this replica leads. out
	// already holds the latest snapshot this replica has (nil at a cold start). Required.
	Lead func(ctx context.Context, out *snapshot.Store) error
	// Kick closes the sockets of a principal key on this replica (a revoke made on any
	// replica). Nil means kicks are ignored.
	Kick func(key, reason string)
	// Log receives elections, step-downs and link changes. Nil means no logs.
	Log *slog.Logger
	// Metrics counts leader changes, propagation lag and reconnects. Nil means none.
	Metrics *Metrics
}

// Node is one replica's part in the cluster: it campaigns for the lease, leads (runs
// the poller and publishes) or follows (applies), and keeps Store current either way.
type Node struct {
	opts  Options
	keys  keys
	token string
	log   *slog.Logger

	mu       sync.Mutex
	deadline time.Time // monotonic: polling must stop by then; zero unless leading
	term     uint64    // this replica's term while leading
	seq      uint64    // publications in term
	lost     bool      // Redis said the lease is someone else's
	held     [2]uint64 // (term, seq) of the newest snapshot applied
	highest  uint64    // highest term seen anywhere
	lastGood *snapshot.Snapshot
	gotAt    time.Time // when lastGood arrived (or was made, on the leader)
	linkDown bool

	pubMu sync.Mutex // serializes publishing into Store (version order)
}

type keys struct{ leader, term, snapshot, channel string }

func keysFor(name string) keys {
	p := "ccdash:{" + name + "}:"
	return keys{leader: p + "leader", term: p + "term", snapshot: p + "snapshot", channel: p + "events"}
}

// New checks opts and returns a Node; Run starts it.
func New(opts Options) (*Node, error) {
	if opts.Client == nil || opts.Store == nil || opts.Lead == nil {
		return nil, errors.New("cluster: Client, Store and Lead are required")
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return &Node{opts: opts, keys: keysFor(opts.Name), token: hex.EncodeToString(b), log: opts.Log}, nil
}

// Leading reports whether this replica may poll now: it holds the lease and its own
// deadline has not passed. It is read before every vendor request (GuardTransport).
func (n *Node) Leading() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.leadingLocked()
}

func (n *Node) leadingLocked() bool {
	return !n.deadline.IsZero() && !n.lost && time.Now().Before(n.deadline)
}

// Run campaigns, leads and follows until ctx is done.
func (n *Node) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { n.follow(ctx) })
	tick := time.NewTicker(n.opts.TTL / 3)
	defer tick.Stop()
	for ctx.Err() == nil {
		if n.campaign(ctx) {
			n.lead(ctx)
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	wg.Wait()
}

// margin is how long before the lease could expire in Redis the leader stops: the
// lease was set at or after the moment the deadline is counted from, so stopping a
// tenth of the TTL early leaves room for timer lateness.
func (n *Node) margin() time.Duration { return n.opts.TTL / 10 }

// Lua: the term of a new election, never below the highest term seen (a Sentinel
// failover can lose an INCR).
var termScript = redis.NewScript(`
local t = redis.call('INCR', KEYS[1])
local h = tonumber(ARGV[1])
if t <= h then t = h + 1; redis.call('SET', KEYS[1], t) end
return t`)

// campaign tries to take the lease; true means this replica now leads.
func (n *Node) campaign(ctx context.Context) bool {
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, n.opts.TTL/3)
	defer cancel()
	ok, err := n.opts.Client.SetNX(cctx, n.keys.leader, n.token, n.opts.TTL).Result()
	if err != nil || !ok {
		return false
	}
	n.mu.Lock()
	highest := n.highest
	n.mu.Unlock()
	term, err := termScript.Run(cctx, n.opts.Client, []string{n.keys.term}, highest).Uint64()
	if err != nil {
		n.release()
		return false
	}
	n.mu.Lock()
	n.deadline, n.term, n.seq, n.lost = start.Add(n.opts.TTL-n.margin()), term, 0, false
	n.highest = max(n.highest, term)
	n.mu.Unlock()
	n.opts.Metrics.elected(term)
	n.log.Info("cluster: elected leader", "term", term, "ttl", n.opts.TTL)
	return true
}

// Lua: renew the lease only if it is still ours (compare-and-PEXPIRE).
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

// renew extends the lease; false means it is gone (someone else's or expired). A
// Redis error leaves the deadline as it was: the leader keeps polling until it passes.
func (n *Node) renew(ctx context.Context) bool {
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, n.opts.TTL/3)
	defer cancel()
	res, err := renewScript.Run(cctx, n.opts.Client, []string{n.keys.leader}, n.token, n.opts.TTL.Milliseconds()).Int()
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case err != nil:
		n.log.Warn("cluster: lease not renewed", "err", err, "polling_stops_in", time.Until(n.deadline).Round(time.Millisecond))
		return true
	case res != 1:
		n.lost = true
		return false
	}
	n.deadline = start.Add(n.opts.TTL - n.margin())
	return true
}

// Lua: delete the lease only if it is still ours.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// release gives the lease up at once (a clean step-down), so the next leader need not
// wait for the TTL.
func (n *Node) release() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = releaseScript.Run(ctx, n.opts.Client, []string{n.keys.leader}, n.token).Err()
}

// Kick closes the sockets of principal key on every replica (this one included).
func (n *Node) Kick(ctx context.Context, key, reason string) error {
	if err := n.opts.Client.Publish(ctx, n.keys.channel, encodeKick(key, reason)).Err(); err != nil {
		return fmt.Errorf("cluster: kick: %w", err)
	}
	return nil
}
