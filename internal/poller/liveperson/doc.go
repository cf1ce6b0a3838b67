// Package liveperson is the connector for one LivePerson account: Domain API
// discovery, OAuth 1.0 (API key) or OAuth 2.0 (Sentinel) auth, the Operational
// Realtime, Messaging Operations, Key Messaging Metrics and Agent Metrics methods,
// parsing and normalizing into a snapshot.Part. It runs inside the core
// (internal/poller): every request goes through a poller.Client, numbers through
// poller.Num, Sentinel tokens through a poller.TokenCache.
//
// Layout:
//   - config.go: Config (fields named after the YAML keys of a source's liveperson
//     section; New's errors are field errors naming those keys), New.
//   - poll.go: Poll, the method families, paging, authenticated calls, names cache.
//   - domain.go: the Domain API (service → host), validated and cached.
//   - oauth1.go, sentinel.go: the two auth methods.
//   - json.go, build.go, oprt.go, msgops.go, kmm.go, activity.go: tolerant decoding
//     and the per-method parsers that fill one lpBuild, fuzzed.
//   - today.go, today_parse.go: the day since the source's reset (Config.Day):
//     account Today figures and messaging quality, fetched once a minute, fuzzed.
//   - conversations.go, interactions.go, history.go: a drill-down's conversations,
//     fetched on demand (not by Poll): Messaging Interactions (open messaging
//     conversations) and Engagement History (chats that ended unanswered), fuzzed.
//
// Import rule: internal/poller, internal/snapshot and internal/field; never another
// vendor's package.
package liveperson
