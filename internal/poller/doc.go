// Package poller is the vendor-neutral core that keeps the snapshot current: it runs
// the vendor connectors (internal/poller/comm100, internal/poller/liveperson) and
// treats every vendor answer as hostile.
//
// Layout:
//   - scheduler.go: Source (one vendor account), SourceConfig, and when to poll
//     (interval, jitter, back-off, Retry-After).
//   - poller.go: Poller runs one scheduler per source and merges the latest good Part
//     of every source with every source's status into the published snapshot.
//   - client.go, budget.go: Client, the one way connectors talk HTTP (request budget,
//     timeouts, size caps, counters); Budget, the sliding-window request budget.
//   - errors.go: Error, a failed vendor request classified by snapshot.ErrorKind.
//   - num.go: Num, the one lenient vendor number type and its policy.
//   - token.go: TokenCache, the one access-token cache (ctx-aware, one shared fetch,
//     no lock across network I/O) both vendors' OAuth flows use.
//   - metrics.go: the Prometheus metrics.
//
// Import rule: internal/snapshot only (plus the standard library and the Prometheus
// client). Vendor packages import this core, never the other way round.
package poller
