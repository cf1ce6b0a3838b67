// Package poller reads the vendors' real-time APIs and keeps the snapshot current.
//
// One Source per vendor account (comm100.go, liveperson*.go) turns HTTP answers into a
// snapshot.Part; a scheduler per source decides when to poll (interval, jitter,
// backoff, Retry-After) and Client enforces the request budget, timeouts and size caps
// on every request. The Poller merges the latest good Part of every source with every
// source's status and publishes the result to a snapshot.Store.
//
// Import rule: internal/snapshot only (plus the standard library, x/oauth2 and the
// Prometheus client for its metrics).
// Vendor HTTP is treated as hostile: every failure becomes an *Error with a Kind.
package poller
