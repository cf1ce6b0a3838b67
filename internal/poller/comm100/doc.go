// Package comm100 is the connector for Comm100 Live Chat v4 (and the v3 spellings the
// docs still show): auth, the real-time and global methods, parsing and normalizing
// into a snapshot.Part. It runs inside the core (internal/poller): every request goes
// through a poller.Client, numbers through poller.Num, OAuth tokens through a
// poller.TokenCache.
//
// Layout:
//   - source.go: Config (fields named after the YAML keys of a source's comm100
//     section; New's errors are field errors naming those keys), New, Poll, paging.
//   - auth.go: API key (Basic + siteId) and the OAuth password grant.
//   - parse.go, timespan.go: pure parsers of each answer, fuzzed.
//   - normalize.go: departments → skills, agents and their states.
//
// Import rule: internal/poller, internal/snapshot and internal/field; never another
// vendor's package.
package comm100
