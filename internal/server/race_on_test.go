//go:build race

package server

// raceEnabled: the race detector slows each request ~10x; volume tests run fewer
// iterations under it (make test runs them in full without it).
const raceEnabled = true
