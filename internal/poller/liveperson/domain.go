package liveperson

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// LivePerson service names (Domain API), case-sensitive as documented.
const (
	serviceDataReporting = "leDataReporting"       // Operational Realtime, Messaging Operations
	serviceEWT           = "msgEwtAPI"             // Messaging Estimated Wait Time
	serviceKMM           = "agentManagerWorkspace" // Key Messaging Metrics
	serviceMsgHist       = "msgHist"               // Agent Metrics status
	serviceSentinel      = "sentinel"              // OAuth 2.0 tokens
	serviceAccountConfig = "accountConfigReadOnly" // skills, status reasons
)

// errServiceNotListed is wrapped by Host's error when the Domain API answered but
// does not list the service: for an optional method (EWT) it means the account does
// not have it, not that the answer is broken.
var errServiceNotListed = errors.New("service not listed by the Domain API")

// lpDomains resolves LivePerson service names to hosts through the Domain API
// ("CSDS"), caching the whole list for a TTL. A host pinned in config always wins
// (proxies, tests). When a call to a discovered host fails at the transport level the
// connector calls Invalidate, so the next poll asks the Domain API again: LivePerson
// moves accounts between data centres and the old host then stops answering.
type lpDomains struct {
	c       *poller.Client
	base    string // Domain API base URL, no trailing slash
	account string
	pinned  map[string]string
	ttl     time.Duration
	now     func() time.Time

	mu      sync.Mutex
	hosts   map[string]string
	fetched time.Time
}

// Host returns the bare host (maybe with port) of service.
func (d *lpDomains) Host(ctx context.Context, service string) (string, error) {
	if h := d.pinned[service]; h != "" {
		return h, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	// The lock is held across the fetch on purpose: concurrent callers need the
	// same answer, and one Domain API call is enough for all of them.
	// A service missing from a fresh list stays missing until the TTL: asking again
	// on every poll for a service the account does not have costs a request each time.
	fresh := d.hosts != nil && d.now().Sub(d.fetched) < d.ttl
	if !fresh {
		hosts, err := d.fetchAll(ctx)
		switch {
		case err == nil:
			d.hosts, d.fetched = hosts, d.now()
		case d.hosts[service] != "":
			// Keep serving the stale answer: the Domain API being down says nothing
			// about the data hosts.
			return d.hosts[service], nil
		default:
			return "", err
		}
	}
	if h := d.hosts[service]; h != "" {
		return h, nil
	}
	return "", &poller.Error{Kind: snapshot.ErrBadResponse, Op: "liveperson domain " + service,
		Err: fmt.Errorf("%w: %q", errServiceNotListed, service)}
}

// Invalidate forgets the discovered hosts.
func (d *lpDomains) Invalidate() {
	d.mu.Lock()
	d.hosts = nil
	d.mu.Unlock()
}

func (d *lpDomains) fetchAll(ctx context.Context) (map[string]string, error) {
	u := d.base + "/api/account/" + url.PathEscape(d.account) + "/service/baseURI.json?version=1.0"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &poller.Error{Kind: snapshot.ErrRequest, Op: "liveperson domain", Err: errors.New("bad Domain API URL")}
	}
	var body lpDomainList
	if err := d.c.Do(ctx, req, "liveperson domain", &body); err != nil {
		return nil, err
	}
	hosts, err := body.hosts()
	if err != nil {
		return nil, &poller.Error{Kind: snapshot.ErrBadResponse, Op: "liveperson domain", Err: err}
	}
	return hosts, nil
}

// lpDomainList is the Domain API answer: the list form, or the single-service form
// (which some proxies return for the list URL too).
type lpDomainList struct {
	BaseURIs []lpDomainEntry `json:"baseURIs"`
	lpDomainEntry
}

type lpDomainEntry struct {
	Service string `json:"service"`
	Account string `json:"account"`
	BaseURI string `json:"baseURI"`
}

// hosts validates the entries: a baseURI is a bare host[:port]; anything with a
// scheme, path or space would let a hostile answer redirect our signed requests.
func (l lpDomainList) hosts() (map[string]string, error) {
	entries := l.BaseURIs
	if l.Service != "" {
		entries = append(entries, l.lpDomainEntry)
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		if e.Service == "" {
			continue
		}
		if !validHost(e.BaseURI) {
			return nil, fmt.Errorf("service %q: invalid baseURI", e.Service)
		}
		out[e.Service] = e.BaseURI
	}
	if len(out) == 0 {
		return nil, errors.New("no services")
	}
	return out, nil
}

func validHost(h string) bool {
	if h == "" || len(h) > 255 || strings.ContainsAny(h, "/?#@ \t\r\n\\") {
		return false
	}
	u, err := url.Parse("https://" + h)
	return err == nil && u.Host == h && u.Hostname() != ""
}
