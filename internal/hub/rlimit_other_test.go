//go:build !(linux || darwin)

package hub

// raiseFileLimit is a no-op where the limit is not an rlimit.
func raiseFileLimit(uint64) error { return nil }
