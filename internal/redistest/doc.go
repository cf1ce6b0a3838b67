// Package redistest starts real Redis processes for tests: one redis-server on a free
// loopback port (Start), or a Sentinel set of one master, one replica and three
// sentinels (StartSentinel). Every process runs in the test's temp dir and is killed at
// cleanup. There is no mock: a missing redis-server or redis-sentinel fails the test
// (CI installs them, .ci/run), so a green run always means real Redis was exercised.
//
// Import rule: the standard library and go-redis only; only tests import it.
package redistest
