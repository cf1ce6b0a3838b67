//go:build unix

package main

import (
	"fmt"
	"syscall"
)

// raiseOpenFileLimit lifts the soft limit on open files to the hard limit: every
// connection and socket holds a descriptor, and the soft limit is often 1024. It
// returns the limits before and after.
func raiseOpenFileLimit() (was, soft, hard uint64, err error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, 0, 0, fmt.Errorf("getrlimit: %w", err)
	}
	was = uint64(lim.Cur)
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return was, was, uint64(lim.Max), fmt.Errorf("setrlimit: %w", err)
		}
	}
	return was, uint64(lim.Cur), uint64(lim.Max), nil
}
