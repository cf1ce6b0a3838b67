package liveperson

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

func TestLPDomainListParses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		service string
		want    string
	}{
		{file: "lp-domain_all_1.json", service: "liveEngageUI", want: "lo.le1.liveperson.net"},
		{file: "lp-domain_all_1.json", service: "etool", want: "z2.etool.liveperson.net"},
		{file: "lp-domain_single_1.json", service: "agentVep", want: "exampleDomain.liveperson.net"},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.service, func(t *testing.T) {
			t.Parallel()
			var l lpDomainList
			decodeFixture(t, tc.file, &l)
			hosts, err := l.hosts()
			if err != nil {
				t.Fatal(err)
			}
			if got := hosts[tc.service]; got != tc.want {
				t.Errorf("host(%s) = %q, want %q", tc.service, got, tc.want)
			}
		})
	}
}

func TestLPDomainRejectsHostileBaseURI(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"https://evil.example", "evil.example/path", "user@evil.example", "", "a b"} {
		l := lpDomainList{BaseURIs: []lpDomainEntry{{Service: "leDataReporting", BaseURI: bad}}}
		if _, err := l.hosts(); err == nil {
			t.Errorf("baseURI %q accepted", bad)
		}
	}
}

func TestLPDomainCacheAndRefresh(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	var fail atomic.Bool
	body, err := os.ReadFile("testdata/lp-domain_all_1.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/api/account/EXAMPLE123/service/baseURI.json" || r.URL.Query().Get("version") != "1.0" {
			http.NotFound(w, r)
			return
		}
		if fail.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	now := time.Unix(1000, 0)
	d := &lpDomains{c: &poller.Client{}, base: srv.URL, account: "EXAMPLE123", ttl: 600 * time.Second,
		now: func() time.Time { return now }, pinned: map[string]string{"leDataReporting": "127.0.0.1:9"}}
	ctx := context.Background()
	host := func(svc string) string {
		t.Helper()
		h, err := d.Host(ctx, svc)
		if err != nil {
			t.Fatalf("Host(%s): %v", svc, err)
		}
		return h
	}

	if got := host("leDataReporting"); got != "127.0.0.1:9" {
		t.Errorf("pinned host = %q", got)
	}
	if calls.Load() != 0 {
		t.Errorf("pinned host called the Domain API")
	}
	host("liveEngageUI")
	host("etool")
	if got := calls.Load(); got != 1 {
		t.Errorf("Domain API calls within TTL = %d, want 1", got)
	}
	now = now.Add(601 * time.Second)
	host("etool")
	if got := calls.Load(); got != 2 {
		t.Errorf("Domain API calls after TTL = %d, want 2", got)
	}
	d.Invalidate()
	host("etool")
	if got := calls.Load(); got != 3 {
		t.Errorf("Domain API calls after Invalidate = %d, want 3", got)
	}
	// Domain API down after expiry: the stale answer keeps the poller going.
	fail.Store(true)
	now = now.Add(601 * time.Second)
	if got := host("etool"); got != "z2.etool.liveperson.net" {
		t.Errorf("stale host = %q", got)
	}
	// An unknown service is a clear error, not an empty host.
	_, err = d.Host(ctx, "msgEwtAPI")
	var pe *poller.Error
	if !errors.As(err, &pe) || pe.Kind != snapshot.ErrServer {
		t.Errorf("unknown service with Domain API down: err = %v, want server error", err)
	}
	fail.Store(false)
	_, err = d.Host(ctx, "msgEwtAPI")
	if !errors.As(err, &pe) || pe.Kind != snapshot.ErrBadResponse || !errors.Is(err, errServiceNotListed) {
		t.Errorf("unknown service: err = %v, want bad_response wrapping errServiceNotListed", err)
	}
	// Not listed stays not listed until the TTL, without asking again.
	before := calls.Load()
	if _, err = d.Host(ctx, "msgEwtAPI"); !errors.Is(err, errServiceNotListed) {
		t.Errorf("unknown service again: err = %v, want errServiceNotListed", err)
	}
	if got := calls.Load(); got != before {
		t.Errorf("Domain API calls for an unlisted service within TTL = %d, want %d", got, before)
	}
}

// decodeFixture decodes testdata/name into v with the connector's own decoder.
func decodeFixture(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := lpDecode(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
