package main

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// lanHost is how this machine is named to others: its interface addresses and its
// host name, swapped out in tests.
type lanHost struct {
	addrs    func() ([]net.Addr, error)
	hostname func() (string, error)
}

var thisHost = lanHost{addrs: net.InterfaceAddrs, hostname: os.Hostname}

// printedBase is the base of the links printed at start-up. public_url wins. A server
// listening on all interfaces (0.0.0.0, [::]) is meant for other machines, and
// http://[::]:8080 opens nowhere: the links then use the first non-loopback address
// (IPv4 first, as TVs and their networks handle it best) or the host name, and the
// hint says how to choose the name for good.
func printedBase(publicURL string, ln net.Addr, h lanHost) (base, hint string) {
	if publicURL != "" {
		return strings.TrimRight(publicURL, "/"), ""
	}
	ap, err := netip.ParseAddrPort(ln.String())
	if err != nil || !ap.Addr().IsUnspecified() {
		return "http://" + ln.String(), ""
	}
	port := strconv.Itoa(int(ap.Port()))
	hint = "listening on all interfaces; set public_url in the config (e.g. http://wallboard.example.lan:" + port + ") to choose the address in links"
	if host := h.firstLANAddr(); host.IsValid() {
		return "http://" + net.JoinHostPort(host.String(), port), hint
	}
	if name, err := h.hostname(); err == nil && name != "" {
		return "http://" + net.JoinHostPort(name, port), hint
	}
	return "http://" + net.JoinHostPort("localhost", port), hint
}

// firstLANAddr is the first IPv4, else IPv6, address that is neither loopback nor
// link-local (fe80:: needs a zone no browser bar takes).
func (h lanHost) firstLANAddr() netip.Addr {
	addrs, err := h.addrs()
	if err != nil {
		return netip.Addr{}
	}
	var v6 netip.Addr
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a.String())
		if err != nil {
			continue
		}
		ip := pfx.Addr().Unmap()
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() {
			continue
		}
		if ip.Is4() {
			return ip
		}
		if !v6.IsValid() {
			v6 = ip
		}
	}
	return v6
}
