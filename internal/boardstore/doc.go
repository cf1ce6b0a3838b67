// Package boardstore holds the boards admins edit in the browser (/admin/boards):
// each kept as the YAML of one entry of the config file's boards list, so it is
// parsed and validated by exactly the config's code and messages, and can be
// pasted into the config file as it is. It also holds the audit log of those
// edits (who, when, what) and the store interfaces both are kept behind (bbolt in
// internal/bolt; the shared contract in internal/storetest).
//
// Import rule: the standard library and gopkg.in/yaml.v3 only.
package boardstore
