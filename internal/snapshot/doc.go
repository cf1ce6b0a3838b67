// Package snapshot is the domain of ccdash: the normalized, vendor-neutral picture
// of a contact center at one moment (skills, agents, account figures and the health
// of every upstream source), plus pure functions over it (merge, derive, compare).
//
// Import rule: standard library only. No HTTP, no templates, no goroutines, no clock
// reads — callers pass "now" in. Every other internal package points toward this one.
package snapshot
