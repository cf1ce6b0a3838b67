//go:build !unix

package main

import "errors"

// raiseOpenFileLimit has nothing to raise where there is no RLIMIT_NOFILE.
func raiseOpenFileLimit() (was, soft, hard uint64, err error) {
	return 0, 0, 0, errors.New("no open-file limit on this system")
}
