package auth

import (
	"strings"
	"testing"
)

func TestParseOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{"https://crm.example.com", "https://crm.example.com", ""},
		{"http://localhost:8080", "http://localhost:8080", ""},
		{"https://CRM.Example.com", "https://crm.example.com", ""},
		{"https://10.0.0.5:8443", "https://10.0.0.5:8443", ""},
		{"https://*", "", "wildcards"},
		{"https://*.example.com", "", "wildcards"},
		{"https://crm.example.com?", "", "without a path"},
		{"https://[::1]:8080", "", "IP version 6"},
		{"https://crm example.com", "", "spaces"},
		{"https://crm.example.com/", "", "trailing /"},
		{"https://crm.example.com/app", "", "without a path"},
		{"https://crm.example.com?x=1", "", "without a path"},
		{"https://crm.example.com#x", "", "without a path"},
		{"https://user:pw@crm.example.com", "", "user name"},
		{"crm.example.com", "", "https://"},
		{"ftp://crm.example.com", "", "https://"},
		{"javascript:alert(1)", "", "URL"},
		{"https://", "", "host"},
		{"https://-bad.example.com", "", "host"},
		{"https://crm.example.com:", "", "empty port"},
		{"https://crm.example.com:0", "", "port"},
		{"https://crm.example.com:99999", "", "port"},
		{"https://crm_example.com", "", "host"},
		{"", "", "https://"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseOrigin(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Errorf("ParseOrigin(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseOrigin(%q) = %q, %v; want an error about %q", tt.in, got, err, tt.wantErr)
			}
		})
	}
}

// FuzzParseOrigin: whatever it accepts is a plain, glob-free origin that parses to
// itself again.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"https://crm.example.com", "http://localhost:8080", "https://*", "https://a/b", "https://[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseOrigin(s)
		if err != nil {
			if got != "" {
				t.Fatalf("ParseOrigin(%q) returned %q with error %v", s, got, err)
			}
			return
		}
		if strings.ContainsAny(got, "*?[]\\ @#") || strings.Count(got, "/") != 2 {
			t.Fatalf("ParseOrigin(%q) = %q: not a plain origin", s, got)
		}
		if again, err := ParseOrigin(got); err != nil || again != got {
			t.Fatalf("ParseOrigin(%q) = %q, but that parses to %q, %v", s, got, again, err)
		}
	})
}
