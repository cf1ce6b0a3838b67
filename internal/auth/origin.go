package auth

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// ParseOrigin checks that s is one exact web origin, scheme://host[:port] with scheme
// http or https, and returns it lower-cased. It refuses globs ("https://*"), paths,
// queries, fragments, user info and IPv6 literals: the result is used as a WebSocket
// Origin pattern (where *, ? and [ are wildcards) and in a CSP frame-ancestors list, so
// anything but a plain host could let other sites in. Errors never echo s.
func ParseOrigin(s string) (string, error) {
	switch {
	case strings.Contains(s, "*"):
		return "", errors.New("wildcards are not allowed: list each origin exactly, e.g. https://crm.example.com")
	case strings.ContainsAny(s, "[]"):
		return "", errors.New("an IP version 6 literal is not supported here; use a host name")
	case strings.ContainsAny(s, "\\ \t\r\n"):
		return "", errors.New("must not contain spaces or backslashes")
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return "", errors.New("is not a URL; want scheme://host[:port], e.g. https://crm.example.com")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New("must start with https:// (or http://)")
	case u.User != nil:
		return "", errors.New("must not hold a user name or password")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(s, "#"):
		return "", errors.New("must be an origin only, without a path (not even a trailing /), query or fragment")
	}
	host, port := u.Hostname(), u.Port()
	if !validHostname(host) {
		return "", errors.New("has no valid host name")
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", errors.New("has an empty port")
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", errors.New("has a port that is not 1 to 65535")
		}
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// validHostname accepts DNS names and IPv4 addresses: labels of letters, digits and
// hyphens, not starting or ending with a hyphen.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
