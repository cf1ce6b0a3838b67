package simulator

import "time"

// allow records one request of client ip to vendor v in a sliding window of real
// time and reports whether it fits; when it does not, it returns how long until the
// oldest request in the window leaves it. Refused requests are not recorded, so a
// client that backs off gets in again after the window, as with the vendor.
func (h *httpState) allow(v Vendor, ip string, limit int, window time.Duration, now time.Time) (bool, time.Duration) {
	if limit < 0 {
		return true, 0
	}
	key := string(v) + "|" + ip
	h.mu.Lock()
	defer h.mu.Unlock()
	sent := h.sent[key]
	cut := now.Add(-window)
	i := 0
	for i < len(sent) && !sent[i].After(cut) {
		i++
	}
	sent = sent[i:]
	if len(sent) >= limit {
		h.sent[key] = sent
		return false, sent[0].Sub(cut)
	}
	h.sent[key] = append(sent, now)
	return true, 0
}
