// Package cluster lets several ccdash replicas share one poller through Redis: one
// replica holds a lease and runs the poller; it publishes every snapshot on one channel
// and keeps the latest in a key; every other replica applies them into its own
// snapshot.Store and renders and serves its own sockets.
//
// The rules (README "Running replicas"):
//   - the lease is SET ccdash:{name}:leader <token> NX PX <ttl>, renewed by
//     compare-and-PEXPIRE every ttl/3; the leader stops by itself when its own
//     monotonic deadline passes (a GC pause, SIGSTOP, a partition), before the lease
//     can expire elsewhere, and Leading turns false at that instant for every vendor
//     request it would still send;
//   - each election takes a term max(INCR term, highest seen + 1), because a Sentinel
//     failover can roll an INCR back; publications carry (term, seq), are fenced on the
//     lease token inside Redis, and followers drop anything older than what they hold;
//   - the leader sends a heartbeat every second; a follower that hears nothing for three
//     resubscribes and reloads the key (a subscription can stay on a demoted master);
//   - with Redis unreachable a replica keeps its last snapshot with every source marked
//     failing (snapshot.ErrClusterLink, "cluster link down") and recovers by itself.
//
// Import rule: internal/snapshot only (plus go-redis and the Prometheus client).
package cluster
