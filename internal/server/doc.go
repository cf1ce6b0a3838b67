// Package server is the HTTP edge: the chi route table, middleware, handlers, and the
// live loop that renders changed tiles once per board variant and hands them to the hub.
// Access control is wired here: every page, /ws and the snapshot API resolve an
// auth.Principal (session, device link or embed link) and render with its scope.
//
// Import rule: views, hub, snapshot, auth, alerts (web/templates only through views). Nothing
// imports server except cmd.
package server
