// Package simulator is a coherent simulated contact center that speaks the vendors'
// documented HTTP APIs (Comm100 Live Chat v4, LivePerson data APIs) on loopback, so
// the demo and the tests go through the real connectors. It is deterministic for a
// seed, runs simulated time faster with a speed factor, and can inject faults.
//
// Import rule: no internal package except internal/snapshot (for ground-truth types).
package simulator
