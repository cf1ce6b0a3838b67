//go:build linux || darwin

package storetest

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time the process has used (user + system, all threads). A
// benchmark that divides its change by b.N reports what an operation costs in CPU,
// a figure a machine shared with other builds does not inflate as it does latency.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
