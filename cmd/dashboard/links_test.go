package main

import (
	"errors"
	"net"
	"strings"
	"testing"
)

func prefixes(cidrs ...string) func() ([]net.Addr, error) {
	return func() ([]net.Addr, error) {
		var out []net.Addr
		for _, c := range cidrs {
			ip, n, err := net.ParseCIDR(c)
			if err != nil {
				panic(err)
			}
			out = append(out, &net.IPNet{IP: ip, Mask: n.Mask})
		}
		return out, nil
	}
}

// TestPrintedBaseOnTheLAN: links printed for a server on all interfaces open on a TV:
// never http://[::]:8080, and they say how to set public_url.
func TestPrintedBaseOnTheLAN(t *testing.T) {
	t.Parallel()
	named := func() (string, error) { return "wallbox", nil }
	tests := []struct {
		name, public, listen string
		host                 lanHost
		want                 string
		wantHint             bool
	}{
		{"public_url wins", "https://wall.example.com/", "0.0.0.0:8080", lanHost{prefixes("10.0.0.5/24"), named}, "https://wall.example.com", false},
		{"loopback as is", "", "127.0.0.1:8080", lanHost{prefixes("10.0.0.5/24"), named}, "http://127.0.0.1:8080", false},
		{"one address as is", "", "192.168.1.9:8080", lanHost{prefixes("10.0.0.5/24"), named}, "http://192.168.1.9:8080", false},
		{"ipv4 any", "", "0.0.0.0:8080", lanHost{prefixes("127.0.0.1/8", "fe80::1/64", "2001:db8::7/64", "192.168.1.20/24"), named}, "http://192.168.1.20:8080", true},
		{"ipv6 any", "", "[::]:9000", lanHost{prefixes("::1/128", "2001:db8::7/64"), named}, "http://[2001:db8::7]:9000", true},
		{"host name when no address", "", "[::]:8080", lanHost{prefixes("127.0.0.1/8", "fe80::1/64"), named}, "http://wallbox:8080", true},
		{"localhost at worst", "", "[::]:8080", lanHost{func() ([]net.Addr, error) { return nil, errors.New("no") }, func() (string, error) { return "", errors.New("no") }}, "http://localhost:8080", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr, err := net.ResolveTCPAddr("tcp", tt.listen)
			if err != nil {
				t.Fatal(err)
			}
			base, hint := printedBase(tt.public, addr, tt.host)
			if base != tt.want {
				t.Errorf("base %q, want %q", base, tt.want)
			}
			if got := strings.Contains(hint, "public_url"); got != tt.wantHint {
				t.Errorf("hint %q: want a public_url hint %v", hint, tt.wantHint)
			}
		})
	}
}
