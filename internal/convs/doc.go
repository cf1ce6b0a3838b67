// Package convs fetches the conversations behind a skill's figures on demand: one
// fetch loop per drill-down skill, started by its first viewer, shared by every
// viewer (a reference count), stopped a short linger after the last one leaves. The
// vendor calls go through the source's own client (its request budget); the
// manager only decides when to call. Results are versioned so the server's live
// loop renders a drill-down again only when its list changed.
//
// On replicas a Fleet (fleet.go; Redis in internal/redisstore) keeps the vendor budget
// spent once for the fleet: every replica announces its viewers' interest, only the
// lease holder fetches (for every replica's interest) and publishes each list, and the
// others show what it published. Without a Fleet nothing of that runs.
//
// Import rule: internal/snapshot only. The fetchers (internal/poller/liveperson) are
// handed in by cmd behind the Fetcher interface.
package convs
