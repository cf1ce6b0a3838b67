// Package field carries a configuration rule's verdict on one value as a typed error
// that names the value by its YAML key — the only name a user ever sees.
//
// A rule lives once, where its concept is owned (a connector's constructor,
// Board.Validate, Thresholds.Validate), and returns field.Errorf("sla_target", …)
// relative to its own section; whoever knows where that section sits in the file adds
// the prefix with Within ("sources[0].liveperson"). cmd/dashboard is the outermost
// caller and so writes the full path.
//
// Import rule: the standard library only; any package may import it.
package field
