package simulator

import "time"

// NewSelfClocked is New with Manual set and the real-time clock (OAuth timestamps,
// token expiry, rate limits) following simulated time: a test can Advance freely
// and a connector whose clock is Now still signs valid requests.
func NewSelfClocked(cfg Config) *Simulator {
	cfg.Manual = true
	var s *Simulator
	cfg.Clock = func() time.Time { return s.Now() }
	s = New(cfg)
	return s
}
