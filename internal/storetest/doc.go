// Package storetest holds one contract suite per store interface (Devices for
// auth.DeviceStore, Sessions for auth.SessionStore, EmbedLinks for auth.EmbedLinkStore,
// …). Every implementation — the embedded one in internal/bolt and any networked
// one — runs the same suite from its own tests, so they cannot drift apart:
//
//	func TestDevices(t *testing.T) { storetest.Devices(t, newDeviceStore) }
//
// History checks history.Store; NewFloor builds the synthetic floors it and the
// benchmarks record.
//
// StateSince checks poller.StateSinceStore (the times in state ccdash measures itself).
//
// Import rule: the packages that declare store interfaces (internal/auth, internal/history, internal/alerts, internal/announce,
// internal/poller, …) and
// internal/snapshot; no implementation package.
package storetest
