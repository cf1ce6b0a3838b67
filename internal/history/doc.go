// Package history remembers the floor: it records every published snapshot beside the
// live loop (own goroutine, bounded queue, drops counted), downsamples it (every
// snapshot for the last 24 h, then one point per minute with min/max/last up to the
// retention) and answers queries: one metric of one skill over a range with a step
// (sparklines, the history API), the whole board as it was at a moment (time travel)
// and an agent's state changes (the agent timeline).
//
// Frames are delta-encoded snapshots: a keyframe (the layout — names, keys, channels —
// plus every figure) at the start of each window, then only the figures that changed,
// so a day at poll resolution for 50 skills and 500 agents stays a few megabytes.
// The encoding lives here; a Store only keeps opaque frames by tier and time, so the
// embedded (internal/bolt) and Redis implementations stay small and run one contract
// suite (internal/storetest).
//
// Import rule: internal/snapshot only.
package history
