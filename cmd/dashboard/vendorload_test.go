package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/simulator"
	simcomm100 "github.com/ccdash/ccdash/internal/simulator/comm100"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// TestVendorRequestsIndependentOfViewers: pages, sockets and API reads never cause a
// vendor request — only the scheduler does — so opening 100 boards costs the vendor
// nothing. Both connectors poll once at start; with a 1-minute interval the next poll
// is far away, so the simulator's request count must not move at all while viewers come.
func TestVendorRequestsIndependentOfViewers(t *testing.T) {
	t.Parallel()
	cfg := simulator.DefaultCredentials()
	cfg.Manual = true
	sim := simulator.New(cfg)
	simSrv := httptest.NewServer(sim.Handler(simcomm100.Routes, simliveperson.Routes))
	defer simSrv.Close()

	conf := fmt.Sprintf(`
sources:
  - kind: comm100
    interval: 1m
    comm100: {base_url: %q, site_id: %d, email: %q, api_key: %q}
  - kind: liveperson
    interval: 1m
    liveperson: {account_id: %q, domain_url: %q, app_key: %q, secret: %q, access_token: %q, access_token_secret: %q}
boards:
  - {id: floor, title: Floor, public: true}
`, simSrv.URL+"/v4", cfg.Comm100.SiteID, cfg.Comm100.Email, cfg.Comm100.APIKey,
		cfg.LivePerson.AccountID, simSrv.URL, cfg.LivePerson.ConsumerKey, cfg.LivePerson.ConsumerSecret,
		cfg.LivePerson.Token, cfg.LivePerson.TokenSecret)
	dir := t.TempDir()
	path := filepath.Join(dir, "ccdash.yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"--config", path, "--addr", "127.0.0.1:0"}, func(string) string { return "" },
			io.Discard, io.Discard, func(a string) { addrc <- a })
	}()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-ctx.Done():
		t.Fatal("server did not start")
	}

	// Wait for the first poll of both sources to finish.
	waitFor(t, ctx, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	before := sim.Requests("/")
	if before == 0 {
		t.Fatal("no vendor requests counted after the first polls: the test would prove nothing")
	}
	t.Logf("vendor requests after first polls: %d", before)

	var conns []*websocket.Conn
	for i := 0; i < 100; i++ {
		for _, p := range []string{"/wall/floor", "/boards/floor", "/api/v1/snapshot"} {
			resp, err := http.Get(base + p)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws?board=floor&view=wall", nil)
		if err != nil {
			t.Fatal(err)
		}
		c.SetReadLimit(1 << 20)
		if _, _, err := c.Read(ctx); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	if after := sim.Requests("/"); after != before {
		t.Errorf("vendor requests went from %d to %d while 100 viewers opened pages; want no change", before, after)
	}
	for _, c := range conns {
		c.CloseNow()
	}
	cancel()
	<-done
}

func waitFor(t *testing.T, ctx context.Context, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatal("condition not met before deadline")
		case <-time.After(50 * time.Millisecond):
		}
	}
}
