// Package liveperson serves the LivePerson APIs from a simulator's floor: the Domain
// API (every service on this host), Sentinel OAuth 2.0 tokens, and the Operational
// Realtime, Messaging Operations, EWT, Key Messaging Metrics, Agent Metrics and
// account-config methods with the documented shapes and 400s for bad windows, and the
// Messaging Interactions and Engagement History searches (search.go, interactions.go,
// enghistory.go) from the same floor: a skill's IN_QUEUE conversations are its
// waiting contacts, ended chats come from the event log. Data
// calls are verified for real: an OAuth 1.0 HMAC-SHA1 signature (its own verifier,
// independent of the connector's signer, so a shared bug cannot hide) or a live
// Sentinel token. Pass Routes to simulator.Simulator.Handler.
//
// Import rule: internal/simulator and internal/snapshot; never another vendor's
// package.
package liveperson
