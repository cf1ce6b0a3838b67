// Package static holds the browser assets embedded into the binary: the page's own
// app.css and app.js, and the pinned front-end libraries `make assets` copies into
// vendor/ (htmx, htmx-ext-ws).
//
// Import rule: no internal package.
package static

import "embed"

// FS holds app.css, wall.css, app.js, alerts.js, notices.js and vendor/ (served under /static/).
//
//go:embed app.css wall.css app.js alerts.js notices.js all:vendor
var FS embed.FS
