// Package bolt holds ccdash's embedded store implementations: one bbolt file in
// data_dir (DB), with one store per concept beside it (devices.go, sessions.go, …),
// each implementing the interface its concept's package declares (auth.DeviceStore,
// scs.Store for sessions). It is what a single replica uses; replicas share Redis
// stores instead, and every implementation passes the same internal/storetest suite.
//
// bbolt takes an exclusive lock on the file: one process at a time. Open fails after a
// second with ErrInUse instead of hanging when another process (the running server,
// for a CLI subcommand) holds it.
//
// History (history.go) is the exception to the one file: it writes every poll and
// keeps days of frames, so it has its own file (history.db) that can be moved aside
// when damaged without touching devices or sessions.
//
// Import rule: the packages whose stores it implements (internal/auth, internal/history, internal/alerts, internal/announce,
// internal/poller for state-since times, …) and
// internal/snapshot; never server, views or cmd.
package bolt
