// Package server is the HTTP edge: the chi route table, middleware, handlers, and the
// live loop that renders changed tiles once per board variant and hands them to the hub.
//
// Import rule: views, hub, snapshot, auth. Nothing imports server except cmd.
package server
