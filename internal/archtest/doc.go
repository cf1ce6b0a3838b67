// Package archtest holds no code, only a test that keeps the import arrows of
// ARCHITECTURE.md true: every package imports only the internal packages its row allows.
//
// Import rule: nothing (it reads the other packages' sources as text).
package archtest
