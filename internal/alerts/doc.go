// Package alerts turns snapshots into alerts a contact-center floor notices: rules per
// board (a figure, the skills it watches, a level, a sustain duration), the alert
// state machine (pending → raised → escalated → cleared, acknowledged by a manager),
// the alert log, and the Store interface their state lives behind.
//
// An Engine evaluates every rule once per snapshot, in memory, and hands persistence
// to its own writer goroutine: the live loop calls Evaluate and never waits for a
// store. Implementations of Store live in internal/bolt (embedded) and later
// internal/redis; internal/storetest holds the contract both must pass.
//
// Import rule: internal/snapshot and internal/field only.
package alerts
