package auth

import (
	"container/list"
	"fmt"
	"net/netip"
	"sync"
	"time"
)

// LimiterOptions configures NewLoginLimiter.
type LimiterOptions struct {
	// PairFailures is how many failed logins one account may have from one client
	// address (IPv6 per /64) in Window before that address is refused for that account.
	// Zero means 5.
	PairFailures int
	// IPFailures is how many failed logins one address may have in Window, whatever
	// the accounts, before it is refused for all of them. Zero means 20.
	IPFailures int
	// AccountFailures is the slower global limit: once one account has this many
	// failures from all addresses in Window, every address that has failed for it is
	// refused. An address that has not failed for it keeps its attempts, so an
	// attack on an account never locks out its owner. Zero means 50.
	AccountFailures int
	// Window is how far back failures count. Zero means 15 minutes.
	Window time.Duration
	// MaxEntries bounds how many accounts, addresses and (account, address) pairs are
	// tracked (each); beyond it the least recently failed entry is forgotten. Zero
	// means 10000.
	MaxEntries int
}

// LoginLimiter throttles password guessing per (account, address), per address and,
// more slowly, per account. Attempts are counted when allowed, before the password is
// checked, and remembered in sliding windows; memory is bounded by MaxEntries. It is
// safe for concurrent use. State is per process: with replicas each keeps its own,
// which still bounds guessing to replicas × limit.
type LoginLimiter struct {
	mu       sync.Mutex
	opts     LimiterOptions
	pairs    *failureTable
	ips      *failureTable
	accounts *failureTable
}

// NewLoginLimiter returns a limiter with opts' zero fields defaulted.
func NewLoginLimiter(opts LimiterOptions) *LoginLimiter {
	if opts.PairFailures <= 0 {
		opts.PairFailures = 5
	}
	if opts.IPFailures <= 0 {
		opts.IPFailures = 20
	}
	if opts.AccountFailures <= 0 {
		opts.AccountFailures = 50
	}
	if opts.Window <= 0 {
		opts.Window = 15 * time.Minute
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = 10000
	}
	return &LoginLimiter{
		opts:     opts,
		pairs:    newFailureTable(opts.PairFailures, opts.MaxEntries),
		ips:      newFailureTable(opts.IPFailures, opts.MaxEntries),
		accounts: newFailureTable(opts.AccountFailures, opts.MaxEntries),
	}
}

// Allow reports whether a login attempt for account from ip may be checked at all, and
// if so counts it as a failure already, under the same lock: checking and recording
// separately, with the password check between, would let N parallel attempts all pass
// before the first failure is recorded. When refused, retryAfter says when the oldest
// counted attempt leaves the window. Call it before Authenticate, so a refused attempt
// costs no bcrypt work and reveals nothing even with the right password; call Success
// when the password was right. A wrong password needs no further call.
func (l *LoginLimiter) Allow(account, ip string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ak, ik := accountKey(account), ipKey(ip)
	pk := ak + "\x00" + ik
	retryAfter = max(l.pairs.blockedFor(pk, now, l.opts.Window), l.ips.blockedFor(ik, now, l.opts.Window))
	if l.pairs.count(pk, now, l.opts.Window) > 0 {
		// Only addresses that have failed for the account meet its global limit.
		retryAfter = max(retryAfter, l.accounts.blockedFor(ak, now, l.opts.Window))
	}
	if retryAfter > 0 {
		return false, retryAfter
	}
	l.pairs.add(pk, now, l.opts.Window)
	l.ips.add(ik, now, l.opts.Window)
	l.accounts.add(ak, now, l.opts.Window)
	return true, 0
}

// Success records that the attempt Allow let through had the right password: the
// (account, address) count is forgotten, and the address and the account get that one
// attempt back, so only failures count against them (an office behind one address is
// not blocked by its own sign-ins). Their other attempts are kept, so one valid
// account cannot be used to reset guessing at others, nor the owner's sign-in reset an
// attack elsewhere.
func (l *LoginLimiter) Success(account, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ak, ik := accountKey(account), ipKey(ip)
	l.pairs.reset(ak + "\x00" + ik)
	l.ips.refund(ik)
	l.accounts.refund(ak)
}

// TooManyAttemptsMessage is the text to show a refused login, e.g. "Too many login
// attempts. Try again in 4 minutes." It says nothing about whether the account exists.
func TooManyAttemptsMessage(retryAfter time.Duration) string {
	switch m := int((retryAfter + time.Minute - 1) / time.Minute); {
	case m <= 1:
		return "Too many login attempts. Try again in a minute."
	default:
		return fmt.Sprintf("Too many login attempts. Try again in %d minutes.", m)
	}
}

// accountKey caps the key length: account names come from the login form, so an attacker
// chooses their size.
func accountKey(account string) string {
	const maxKey = 128
	if len(account) > maxKey {
		return account[:maxKey]
	}
	return account
}

// ipKey groups IPv6 clients by /64, the block one subscriber usually gets; otherwise an
// attacker would have 2^64 "addresses" to rotate through.
func ipKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return accountKey(ip)
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// failureTable holds, per key, the times of its recent failures (at most limit of them),
// in an LRU list so the least recently failed key is evicted when the table is full.
type failureTable struct {
	limit, maxEntries int
	byKey             map[string]*list.Element
	lru               *list.List // front = most recent failure
}

type failureEntry struct {
	key   string
	times []time.Time // oldest first, len <= limit
}

func newFailureTable(limit, maxEntries int) *failureTable {
	return &failureTable{limit: limit, maxEntries: maxEntries, byKey: map[string]*list.Element{}, lru: list.New()}
}

// blockedFor returns how long key stays blocked, or 0.
func (t *failureTable) blockedFor(key string, now time.Time, window time.Duration) time.Duration {
	el, ok := t.byKey[key]
	if !ok {
		return 0
	}
	e := el.Value.(*failureEntry)
	e.prune(now, window)
	if len(e.times) == 0 {
		t.remove(el)
		return 0
	}
	if len(e.times) < t.limit {
		return 0
	}
	return e.times[0].Add(window).Sub(now)
}

// count returns how many failures key has in the window.
func (t *failureTable) count(key string, now time.Time, window time.Duration) int {
	el, ok := t.byKey[key]
	if !ok {
		return 0
	}
	e := el.Value.(*failureEntry)
	e.prune(now, window)
	return len(e.times)
}

func (t *failureTable) add(key string, now time.Time, window time.Duration) {
	el, ok := t.byKey[key]
	if !ok {
		t.makeRoom()
		el = t.lru.PushFront(&failureEntry{key: key})
		t.byKey[key] = el
	}
	t.lru.MoveToFront(el)
	e := el.Value.(*failureEntry)
	e.prune(now, window)
	e.times = append(e.times, now)
	if len(e.times) > t.limit {
		// Only the newest limit failures decide when the block ends.
		e.times = append(e.times[:0], e.times[len(e.times)-t.limit:]...)
	}
}

// refund forgets key's newest attempt (the one a successful login reserved).
func (t *failureTable) refund(key string) {
	el, ok := t.byKey[key]
	if !ok {
		return
	}
	e := el.Value.(*failureEntry)
	if e.times = e.times[:max(len(e.times)-1, 0)]; len(e.times) == 0 {
		t.remove(el)
	}
}

func (t *failureTable) reset(key string) {
	if el, ok := t.byKey[key]; ok {
		t.remove(el)
	}
}

// makeRoom evicts from the back (least recently failed) until a new key fits; entries
// whose failures have all expired are the oldest, so they go first.
func (t *failureTable) makeRoom() {
	for len(t.byKey) >= t.maxEntries {
		t.remove(t.lru.Back())
	}
}

func (t *failureTable) remove(el *list.Element) {
	delete(t.byKey, el.Value.(*failureEntry).key)
	t.lru.Remove(el)
}

func (t *failureTable) size() int { return len(t.byKey) }

// prune drops failures older than window.
func (e *failureEntry) prune(now time.Time, window time.Duration) {
	i := 0
	for i < len(e.times) && !now.Before(e.times[i].Add(window)) {
		i++
	}
	if i > 0 {
		e.times = append(e.times[:0], e.times[i:]...)
	}
}
