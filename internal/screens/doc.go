// Package screens holds what wall displays are told to show beyond one board:
// playlists (boards in turn, each for a duration, optionally only within a
// time-of-day window, pinned to a board in alert), the store interface for the
// playlists made on the screens page, and the pairing codes a fresh TV shows so an
// admin can make it a device without typing a token.
//
// Everything here is pure and clock-injected: the server asks which board a
// playlist shows at a moment (Playlist.At), and the pairing table (Pairings) is a
// bounded map an anonymous request can fill only up to its caps.
//
// Import rule: internal/field only (config errors by YAML key).
package screens
