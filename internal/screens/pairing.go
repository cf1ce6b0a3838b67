package screens

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Pairing limits. A /pair page is anonymous, so what it may make the server hold is
// capped: PairTTL bounds each code's life, MaxPendingPerAddr how many codes one
// address may hold at once (a rate limit: one address gets at most that many codes
// per PairTTL), and MaxPending the whole table, after which new codes are refused
// rather than evicting a code already shown on some TV.
const (
	PairTTL           = 5 * time.Minute
	MaxPendingPerAddr = 5
	MaxPending        = 1000
)

// Errors from Pairings.
var (
	// ErrPairingFull: the table or the address holds as many codes as allowed.
	ErrPairingFull = errors.New("screens: too many pending pairing codes")
	// ErrUnknownCode: no pending code is that one (mistyped, expired or used).
	ErrUnknownCode = errors.New("screens: no such pairing code")
)

// PairingOptions bound a Pairings table. Zero means the constants above.
type PairingOptions struct {
	TTL                 time.Duration
	MaxPending, PerAddr int
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Pairings are the pending pairing codes. A TV's /pair page asks for one (New) and
// shows its 6-digit code; it then polls with its private wait token (Claim). An
// admin who types the code completes it (Complete) with the device link the TV gets;
// the TV's next Claim takes the link and the pairing is gone: codes are single-use.
type Pairings struct {
	opts PairingOptions

	mu      sync.Mutex
	byCode  map[string]*pairing
	byToken map[string]*pairing
}

type pairing struct {
	code, token, addr string
	expires           time.Time
	result            string // set by Complete: what Claim hands over
}

// NewPairings returns an empty table.
func NewPairings(o PairingOptions) *Pairings {
	if o.TTL <= 0 {
		o.TTL = PairTTL
	}
	if o.MaxPending <= 0 {
		o.MaxPending = MaxPending
	}
	if o.PerAddr <= 0 {
		o.PerAddr = MaxPendingPerAddr
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Pairings{opts: o, byCode: map[string]*pairing{}, byToken: map[string]*pairing{}}
}

// New makes a pairing code for a TV at addr and returns the code (6 digits, shown)
// and the wait token (secret to that page, used to Claim). It refuses with
// ErrPairingFull over the caps.
func (ps *Pairings) New(addr string) (code, token string, expires time.Time, err error) {
	now := ps.opts.Now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expireLocked(now)
	n := 0
	for _, p := range ps.byCode {
		if p.addr == addr {
			n++
		}
	}
	if n >= ps.opts.PerAddr || len(ps.byCode) >= ps.opts.MaxPending {
		return "", "", time.Time{}, ErrPairingFull
	}
	for {
		code = randomCode()
		if ps.byCode[code] == nil {
			break
		}
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	p := &pairing{code: code, token: base64.RawURLEncoding.EncodeToString(b), addr: addr, expires: now.Add(ps.opts.TTL)}
	ps.byCode[code], ps.byToken[p.token] = p, p
	return code, p.token, p.expires, nil
}

func randomCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// Complete gives the pending code its result (the device link) if the code is
// pending and not completed yet; ErrUnknownCode otherwise. make runs under the
// table's lock only after the code was found, so a mistyped code creates nothing.
func (ps *Pairings) Complete(code string, make func() (string, error)) error {
	now := ps.opts.Now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expireLocked(now)
	p := ps.byCode[code]
	if p == nil || p.result != "" {
		return ErrUnknownCode
	}
	res, err := make()
	if err != nil {
		return err
	}
	p.result = res
	return nil
}

// Claim returns the result for the wait token once the code was completed, and
// forgets the pairing; done is false while it waits. ErrUnknownCode when the token
// matches no pending pairing (expired, claimed, or made up).
func (ps *Pairings) Claim(token string) (result string, done bool, err error) {
	now := ps.opts.Now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expireLocked(now)
	p := ps.byToken[token]
	if p == nil || subtle.ConstantTimeCompare([]byte(p.token), []byte(token)) != 1 {
		return "", false, ErrUnknownCode
	}
	if p.result == "" {
		return "", false, nil
	}
	delete(ps.byCode, p.code)
	delete(ps.byToken, p.token)
	return p.result, true, nil
}

// Pending is how many codes are held now.
func (ps *Pairings) Pending() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.expireLocked(ps.opts.Now())
	return len(ps.byCode)
}

func (ps *Pairings) expireLocked(now time.Time) {
	for code, p := range ps.byCode {
		if !now.Before(p.expires) {
			delete(ps.byCode, code)
			delete(ps.byToken, p.token)
		}
	}
}
