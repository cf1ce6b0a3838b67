// Package fleettest holds the replica acceptance tests (issue 14) at process level: it
// builds the dashboard binary once, starts real redis-server (or a Sentinel set), one
// simulated vendor and several replicas on loopback, and kills, stops and restarts them
// like an operator's worst day would. It has no code of its own beyond this file.
//
// Import rule: tests only; they run the binary, never import it.
package fleettest
