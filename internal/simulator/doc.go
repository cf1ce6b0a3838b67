// Package simulator is a coherent simulated contact center that speaks the vendors'
// documented HTTP APIs (Comm100 Live Chat v4, LivePerson data APIs) on loopback, so
// the demo and the tests go through the real connectors. It is deterministic for a
// seed, runs simulated time faster with a speed factor, and can inject faults.
//
// Layout:
//   - model.go, world.go, floor.go: the floor (skills, agents, away reasons, contacts,
//     the 24 h event log) and the default floor built from the seed; floor_large.go the
//     large floor (Config.Floor, `--sim-floor large`).
//   - engine.go, curve.go: one-second steps — shifts, breaks, arrivals on a daily curve
//     with surges, abandons, routing, transfers, day roll-over. Only the engine draws
//     from the seeded source, so HTTP polls never change what happens next.
//   - simulator.go: Config, New, Run (real time × Speed), Advance (manual), View.
//   - truth.go: Truth, the ground truth tests compare connectors against;
//     truth_convs.go the conversations behind a skill (open, ended unanswered).
//   - handler.go, fault.go, ratelimit.go: one http.Handler for the vendor routes it is
//     given (Routes), with request counting, faults and a per-IP sliding-window rate
//     limit per vendor; /_sim/ control endpoints when Config.Control is set.
//   - tokens.go: Tokens, the issued-token store each vendor's routes keep, and
//     SecretEqual.
//
// The vendor APIs live beside it, one package each, mirroring internal/poller:
// internal/simulator/comm100 (Comm100 v4 under /v4/ and /oauth/) and
// internal/simulator/liveperson (Domain API, Sentinel and the data APIs). Each exports
// Routes; callers pass the ones they need: sim.Handler(comm100.Routes,
// liveperson.Routes).
//
// Import rule: no internal package except internal/snapshot (for ground-truth types).
package simulator
