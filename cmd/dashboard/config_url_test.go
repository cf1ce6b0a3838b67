package main

import (
	"strings"
	"testing"
)

// TestCheckURLRedactsCredentials: a bad URL is echoed without userinfo or query.
func TestCheckURLRedactsCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, url, want string }{
		{"userinfo with ftp", "ftp://user:SECRET@host/v4", "ftp://host/v4"},
		{"query with ftp", "ftp://host/v4?token=SECRET", "ftp://host/v4"},
		{"no host", "https://user:SECRET@/v4?key=SECRET", "https:///v4"},
		{"no scheme", "user:SECRET@host", "user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkURL(tt.url)
			if err == nil {
				t.Fatal("got no error")
			}
			if msg := err.Error(); strings.Contains(msg, "SECRET") || !strings.Contains(msg, tt.want) {
				t.Errorf("got %q, want it to show %q and no SECRET", msg, tt.want)
			}
		})
	}
}
