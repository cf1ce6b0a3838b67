// Package comm100 serves the Comm100 Live Chat v4 API from a simulator's floor: the
// realTime reports and global look-ups under /v4/ (API key or bearer auth) and the
// OAuth password grant under /oauth/. realTime/Agents pages with pageIndex (1-based)
// and pageSize (default 10, max 100; larger sizes are cut to 100). Pass Routes to
// simulator.Simulator.Handler.
//
// Import rule: internal/simulator and internal/snapshot; never another vendor's
// package.
package comm100
