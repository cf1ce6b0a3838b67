package auth

import (
	"sync"
	"time"
)

// SeenCache is how a DeviceStore writes last-seen times at most once per TouchInterval
// per device: the latest touch stays in memory and is shown by Apply, and only a touch
// TouchInterval after the last written one goes to the store. Safe for concurrent use;
// the zero value is ready.
type SeenCache struct {
	mu      sync.Mutex
	seen    map[string]time.Time // latest Touch per device, written or not
	written map[string]time.Time // last LastSeen written per device
}

// Skip reports whether a touch of id at at need not be written (and remembers it).
func (c *SeenCache) Skip(id string, at time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	last, known := c.written[id]
	if !known || at.Sub(last) >= TouchInterval {
		return false
	}
	if at.After(c.seen[id]) {
		c.seen[id] = at
	}
	return true
}

// Wrote records that id's stored LastSeen is now stored.
func (c *SeenCache) Wrote(id string, stored time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen, c.written = map[string]time.Time{}, map[string]time.Time{}
	}
	if stored.After(c.written[id]) {
		c.written[id] = stored
	}
	if stored.After(c.seen[id]) {
		c.seen[id] = stored
	}
}

// Apply returns d with the latest touch seen, written or not.
func (c *SeenCache) Apply(d Device) Device {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.seen[d.ID]; t.After(d.LastSeen) {
		d.LastSeen = t
	}
	return d
}
