package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// WallURL returns the link a display opens once: baseURL/wall/<board>?device=<secret>.
func WallURL(baseURL, board, secret string) (string, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("auth: base URL %q must be an absolute http(s) URL", baseURL)
	}
	u = u.JoinPath("wall", board)
	u.RawQuery = url.Values{"device": {secret}}.Encode()
	return u.String(), nil
}
