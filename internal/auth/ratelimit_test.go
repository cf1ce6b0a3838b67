package auth

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoginLimiter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	type step struct {
		op           string // "fail" (allowed, wrong password), "ok" (allowed, right password), "allow"
		account, ip  string
		at           time.Duration // after t0
		wantAllow    bool
		wantRetryMax time.Duration // for refused Allow: retry must be in (0, wantRetryMax]
	}
	fails := func(n int, account, ip string, at time.Duration) []step {
		var s []step
		for range n {
			s = append(s, step{op: "fail", account: account, ip: ip, at: at})
		}
		return s
	}
	// failsFrom is n wrong passwords from ip, each for another account.
	failsFrom := func(n int, ip string) []step {
		var s []step
		for i := range n {
			s = append(s, step{op: "fail", account: fmt.Sprint("user", i), ip: ip})
		}
		return s
	}
	cat := func(parts ...[]step) []step {
		var s []step
		for _, p := range parts {
			s = append(s, p...)
		}
		return s
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"four failures still allowed", cat(fails(4, "a", "1.1.1.1", 0),
			[]step{{op: "allow", account: "a", ip: "1.1.1.1", at: time.Minute, wantAllow: true}})},
		{"fifth failure blocks the account from that address only", cat(fails(5, "a", "1.1.1.1", 0),
			[]step{
				{op: "allow", account: "a", ip: "1.1.1.1", at: time.Minute, wantRetryMax: 14 * time.Minute},
				{op: "ok", account: "a", ip: "2.2.2.2", at: time.Minute},
				{op: "ok", account: "b", ip: "1.1.1.1", at: time.Minute},
			})},
		{"global account limit refuses addresses that failed, never fresh ones", cat(
			func() []step {
				var s []step
				for i := range 50 {
					s = append(s, step{op: "fail", account: "a", ip: fmt.Sprintf("10.0.%d.1", i)})
				}
				return s
			}(),
			[]step{
				{op: "allow", account: "a", ip: "10.0.7.1", at: time.Minute, wantRetryMax: 14 * time.Minute},
				{op: "ok", account: "a", ip: "192.168.1.10", at: time.Minute},
				{op: "ok", account: "b", ip: "10.0.7.1", at: time.Minute},
				{op: "allow", account: "a", ip: "10.0.7.1", at: 15 * time.Minute, wantAllow: true},
			})},
		{"block ends when the window passes", cat(fails(5, "a", "1.1.1.1", 0),
			[]step{{op: "allow", account: "a", ip: "1.1.1.1", at: 15 * time.Minute, wantAllow: true}})},
		{"sliding window counts only recent failures", cat(fails(3, "a", "1.1.1.1", 0), fails(2, "a", "1.1.1.1", 10*time.Minute),
			[]step{
				{op: "allow", account: "a", ip: "1.1.1.1", at: 14 * time.Minute, wantRetryMax: time.Minute},
				{op: "allow", account: "a", ip: "1.1.1.1", at: 15 * time.Minute, wantAllow: true},
			})},
		{"other accounts unaffected", cat(fails(5, "a", "1.1.1.1", 0),
			[]step{{op: "allow", account: "b", ip: "2.2.2.2", at: 0, wantAllow: true}})},
		{"success resets the account's count from that address", cat(fails(4, "a", "1.1.1.1", 0),
			[]step{{op: "ok", account: "a", ip: "1.1.1.1"}}, fails(4, "a", "1.1.1.1", 0),
			[]step{{op: "allow", account: "a", ip: "1.1.1.1", wantAllow: true}})},
		{"20 failures from one address block it for every account", cat(failsFrom(20, "9.9.9.9"),
			[]step{
				{op: "allow", account: "fresh", ip: "9.9.9.9", at: time.Second, wantRetryMax: 15 * time.Minute},
				{op: "allow", account: "fresh", ip: "8.8.8.8", at: time.Second, wantAllow: true},
			})},
		{"success neither resets nor counts against the address", cat(failsFrom(19, "9.9.9.9"),
			[]step{
				{op: "ok", account: "user0", ip: "9.9.9.9"},
				{op: "fail", account: "user19", ip: "9.9.9.9"},
				{op: "allow", account: "user0", ip: "9.9.9.9", wantRetryMax: 15 * time.Minute},
			})},
		{"many sign-ins from one address", cat(
			func() []step {
				var s []step
				for i := range 25 {
					s = append(s, step{op: "ok", account: fmt.Sprint("user", i), ip: "9.9.9.9"})
				}
				return s
			}(),
			[]step{{op: "allow", account: "fresh", ip: "9.9.9.9", wantAllow: true}})},
		{"allowed attempts count without a recorded failure", cat(fails(5, "a", "1.1.1.1", 0),
			[]step{{op: "allow", account: "a", ip: "1.1.1.1", wantRetryMax: 15 * time.Minute}})},
		{"IPv6 grouped by /64", cat(failsFrom(20, "2001:db8:1:2::1"),
			[]step{
				{op: "allow", account: "y", ip: "2001:db8:1:2:ffff::9", wantRetryMax: 15 * time.Minute},
				{op: "allow", account: "y", ip: "2001:db8:1:3::1", wantAllow: true},
			})},
		{"IPv4-mapped IPv6 is the IPv4 address", cat(failsFrom(20, "::ffff:10.0.0.1"),
			[]step{{op: "allow", account: "y", ip: "10.0.0.1", wantRetryMax: 15 * time.Minute}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := NewLoginLimiter(LimiterOptions{})
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				switch s.op {
				case "fail", "ok":
					if ok, retry := l.Allow(s.account, s.ip, now); !ok {
						t.Fatalf("step %d: %s attempt for %q from %q refused (retry %v)", i, s.op, s.account, s.ip, retry)
					}
					if s.op == "ok" {
						l.Success(s.account, s.ip, now)
					}
				case "allow":
					ok, retry := l.Allow(s.account, s.ip, now)
					if ok != s.wantAllow {
						t.Fatalf("step %d: Allow(%q, %q) = %v, %v; want allowed=%v", i, s.account, s.ip, ok, retry, s.wantAllow)
					}
					if ok && retry != 0 {
						t.Errorf("step %d: allowed with retryAfter %v, want 0", i, retry)
					}
					if !ok && (retry <= 0 || retry > s.wantRetryMax) {
						t.Errorf("step %d: retryAfter = %v, want in (0, %v]", i, retry, s.wantRetryMax)
					}
				}
			}
		})
	}
}

func TestLoginLimiterBoundedMemory(t *testing.T) {
	t.Parallel()
	l := NewLoginLimiter(LimiterOptions{MaxEntries: 3})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		l.Allow(fmt.Sprint("acct", i), fmt.Sprintf("10.0.0.%d", i), now)
	}
	if a, ip, p := l.accounts.size(), l.ips.size(), l.pairs.size(); a != 3 || ip != 3 || p != 3 {
		t.Errorf("tracked accounts, ips, pairs = %d, %d, %d; want 3, 3, 3", a, ip, p)
	}
	// A multi-megabyte account name is stored truncated.
	l.Allow(strings.Repeat("z", 1<<20), "10.0.0.1", now)
	for k := range l.accounts.byKey {
		if len(k) > 128 {
			t.Errorf("account key of %d bytes stored, want <= 128", len(k))
		}
	}
	// The most recently failing account survives eviction.
	for range 5 {
		l.Allow("victim", "10.9.9.9", now)
	}
	l.Allow("other1", "10.9.9.8", now)
	l.Allow("other2", "10.9.9.7", now)
	if ok, _ := l.Allow("victim", "10.9.9.9", now); ok {
		t.Error("victim allowed after 5 failures and 2 newer entries in a 3-entry table")
	}
}

// TestLoginLimiterConcurrentAttempts: attempts racing for one account are counted as
// they are allowed, so no more than the limit reach the password check however many
// arrive before the first one fails.
func TestLoginLimiterConcurrentAttempts(t *testing.T) {
	t.Parallel()
	l := NewLoginLimiter(LimiterOptions{PairFailures: 5})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if ok, _ := l.Allow("victim", "10.0.0.1", now); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 5 {
		t.Errorf("20 concurrent attempts: %d allowed, want 5 (the limit)", got)
	}
}

func TestTooManyAttemptsMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Duration
		want string
	}{
		{10 * time.Second, "Try again in a minute."},
		{time.Minute, "Try again in a minute."},
		{61 * time.Second, "Try again in 2 minutes."},
		{14*time.Minute + time.Second, "Try again in 15 minutes."},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			t.Parallel()
			if got := TooManyAttemptsMessage(tt.in); !strings.HasSuffix(got, tt.want) || !strings.HasPrefix(got, "Too many login attempts.") {
				t.Errorf("TooManyAttemptsMessage(%v) = %q, want ...%q", tt.in, got, tt.want)
			}
		})
	}
}
