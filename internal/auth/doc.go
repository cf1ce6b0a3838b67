// Package auth decides who may see what: users and roles from config, scs sessions,
// long-lived device tokens for wall displays, and signed embed tokens for iframes.
//
// Import rule: internal/snapshot at most (for scopes).
package auth
