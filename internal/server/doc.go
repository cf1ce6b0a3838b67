// Package server is the HTTP edge: the chi route table, middleware, handlers, and the
// live loop that renders changed tiles once per board variant and hands them to the hub.
// Access control is wired here: every page, /ws and the snapshot API resolve an
// auth.Principal (session, device link or embed link) and render with its scope.
//
// One request path: a board page and its socket both go through resolve (request.go:
// credential → board → authorize → parse the variant → ensure it in the live loop).
// Handlers return errors; errors.go maps them to statuses in one table (sentinel
// errors, errors.Is) and writes them one of two ways: failHTML for what a browser
// navigates to, failJSON for /ws, APIs and the rest. The edge (limits.go) bounds
// requests (timeouts), connections (Listener) and anonymous sockets; operator.go
// guards what is for the operator (/metrics, /readyz details).
//
// Screens (screens.go, admin_screens.go, pair.go): a device's request shows its
// binding (a board, or its playlist's board of the moment); a loop moves playlist
// screens' sockets to the next board in place (hub.Move), /admin/screens drives one
// screen at a time (hub.Send) and /pair hands a TV its device link by code.
//
// boards.go holds the served boards as one immutable set that SetBoards swaps in place (a reloaded
// config, an edited board): open sockets are re-rendered, never closed.
//
// Import rule: views, hub, snapshot, auth, alerts, announce, history, screens, convs,
// web/static (web/templates only through views). Nothing imports server except cmd.
package server
