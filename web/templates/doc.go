// Package templates holds the templ components and their props structs. Components
// are pure functions of their props: no I/O, no clock, no snapshot types — views
// adapts the snapshot to these props.
//
// Import rule: no internal package.
package templates
