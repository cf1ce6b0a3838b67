// Package views turns a snapshot into view models (formatting, thresholds, colours),
// renders tiles with web/templates, and diffs rendered tiles against what was last
// sent so only changed fragments go out.
//
// Import rule: web/templates, internal/snapshot, internal/field, internal/alerts
// (read: the alert banner), internal/announce (read: the ticker and urgent banner)
// and internal/history (read: the minutes sparklines and the drill-down's day chart
// draw; the server queries, views only render).
package views
