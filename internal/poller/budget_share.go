package poller

// Free returns how many more requests fit in the current window, or -1 when the
// budget is unlimited. Work that may wait (a drill-down's refresh) checks it so the
// regular poll keeps its share instead of queueing behind it.
func (b *Budget) Free() int {
	if b.limit <= 0 {
		return -1
	}
	return max(b.limit-b.InWindow(), 0)
}

// Limit returns the requests allowed per window (zero or less: unlimited).
func (b *Budget) Limit() int { return b.limit }
