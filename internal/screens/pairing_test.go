package screens

import (
	"errors"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestPairingIsSingleUse(t *testing.T) {
	t.Parallel()
	ps := NewPairings(PairingOptions{})
	code, token, _, err := ps.New("192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\d{6}$`).MatchString(code) || len(token) < 32 {
		t.Fatalf("code %q token %q", code, token)
	}
	if _, done, err := ps.Claim(token); done || err != nil {
		t.Fatalf("Claim before Complete = %v, %v; want waiting", done, err)
	}
	made := 0
	mk := func() (string, error) { made++; return "/wall/x?device=dev_1", nil }
	if err := ps.Complete("000000x", mk); !errors.Is(err, ErrUnknownCode) || made != 0 {
		t.Fatalf("Complete(wrong code) = %v, made %d", err, made)
	}
	if err := ps.Complete(code, mk); err != nil {
		t.Fatal(err)
	}
	if err := ps.Complete(code, mk); !errors.Is(err, ErrUnknownCode) || made != 1 {
		t.Errorf("second Complete = %v (made %d), want ErrUnknownCode and one device", err, made)
	}
	if _, _, err := ps.Claim("made-up"); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Claim(made-up) = %v", err)
	}
	res, done, err := ps.Claim(token)
	if !done || err != nil || res != "/wall/x?device=dev_1" {
		t.Fatalf("Claim = %q, %v, %v", res, done, err)
	}
	if _, _, err := ps.Claim(token); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("second Claim = %v, want ErrUnknownCode", err)
	}
	if ps.Pending() != 0 {
		t.Errorf("Pending = %d after the claim, want 0", ps.Pending())
	}
}

func TestPairingCodesExpire(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1e9, 0)}
	ps := NewPairings(PairingOptions{Now: c.now})
	code, token, exp, err := ps.New("192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if exp.Sub(c.now()) != PairTTL {
		t.Errorf("expires in %s, want %s", exp.Sub(c.now()), PairTTL)
	}
	c.add(PairTTL)
	if err := ps.Complete(code, func() (string, error) { return "x", nil }); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Complete after 5 min = %v, want ErrUnknownCode", err)
	}
	if _, _, err := ps.Claim(token); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("Claim after 5 min = %v", err)
	}
}

// TestPairingTableIsBounded: nothing anonymous grows server state. One address
// gets MaxPendingPerAddr codes; many addresses together fill the table to its cap
// and no further; expired codes free their room.
func TestPairingTableIsBounded(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1e9, 0)}
	ps := NewPairings(PairingOptions{Now: c.now, MaxPending: 50, PerAddr: 3})
	for i := range 3 {
		if _, _, _, err := ps.New("192.0.2.1"); err != nil {
			t.Fatalf("code %d: %v", i, err)
		}
	}
	if _, _, _, err := ps.New("192.0.2.1"); !errors.Is(err, ErrPairingFull) {
		t.Fatalf("4th code from one address = %v, want ErrPairingFull", err)
	}
	refused := 0
	for i := range 10_000 {
		if _, _, _, err := ps.New("10.0." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250)); errors.Is(err, ErrPairingFull) {
			refused++
		}
	}
	if ps.Pending() != 50 || refused != 10_000-47 {
		t.Errorf("pending %d, refused %d; want the cap of 50 and every code past it refused", ps.Pending(), refused)
	}
	c.add(PairTTL)
	if _, _, _, err := ps.New("192.0.2.1"); err != nil || ps.Pending() != 1 {
		t.Errorf("after expiry: %v, pending %d", err, ps.Pending())
	}
}
