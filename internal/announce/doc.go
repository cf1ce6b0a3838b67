// Package announce holds announcements to the floor: a short message a manager (or an
// integration with an API token of the "announce" scope) posts to some boards or all,
// info or urgent, until it expires or is withdrawn. Walls show info ones in a ticker
// and urgent ones as a banner.
//
// A Feed keeps the active announcements in memory, writes each post and withdrawal to
// its Store before answering (a posted announcement survives a restart), and runs one
// timer for the next expiry, so an announcement leaves every wall at its time without
// any page asking. Implementations of Store live in internal/bolt (embedded) and
// internal/redisstore (replicas: Reload follows the others' posts); internal/storetest
// holds the contract both must pass.
//
// Import rule: internal/snapshot only (its CleanText makes posted text safe to show).
package announce
