// Package redisstore holds ccdash's Redis store implementations, for replicas that
// must share what the embedded stores (internal/bolt) keep per machine: device tokens
// (devices.go) so a wall linked on one replica opens on every other; embed-link
// revocations (embeds.go), API tokens (apitokens.go), state-since times
// (statesince.go), the shared signing keys (keys.go); history (history.go), written
// by the lease holder and read by all; announcements, playlists and edited boards
// (announcements.go, playlists.go, boards.go, with the boards' audit log), whose writes
// also notify the other replicas (changes.go) so their in-memory copies reload; the
// drill-downs' interest and lists (convs.go, a convs.Fleet). Each passes the same
// internal/storetest suite as its bolt twin, against a real redis-server. Keys live
// under one prefix per fleet, ccdash:{name}: (the cluster name), beside the leader lease.
//
// Import rule: the packages whose stores it implements (internal/auth, …); never
// server, views or cmd.
package redisstore
