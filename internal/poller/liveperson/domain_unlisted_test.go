package liveperson_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
)

// TestLivePersonUnlistedOptionalService: an account whose Domain API list lacks the
// optional msgEwtAPI still polls messaging (EWT left unknown), and the Domain API is
// not asked again on every poll. Before, Host failed with bad_response, failing the
// whole poll, and refetched the list each time.
func TestLivePersonUnlistedOptionalService(t *testing.T) {
	t.Parallel()
	simCfg := simulator.DefaultCredentials()
	simCfg.Manual = true
	simCfg.RateLimit = -1
	sim := simulator.New(simCfg)
	var domainCalls, ewtCalls atomic.Int64
	h := sim.Handler(simliveperson.Routes)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/lp-messaging-ewt-app/") {
			ewtCalls.Add(1)
		}
		if !strings.HasSuffix(r.URL.Path, "/service/baseURI.json") {
			h.ServeHTTP(w, r)
			return
		}
		domainCalls.Add(1)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var list struct {
			BaseURIs []map[string]any `json:"baseURIs"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
			t.Errorf("simulator Domain API answer: %v", err)
		}
		kept := list.BaseURIs[:0]
		for _, e := range list.BaseURIs {
			if e["service"] != "msgEwtAPI" {
				kept = append(kept, e)
			}
		}
		list.BaseURIs = kept
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(list)
	}))
	t.Cleanup(srv.Close)
	acct := simCfg.LivePerson
	lp, err := liveperson.New(liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: srv.URL, Insecure: true,
		AppKey: acct.ConsumerKey, Secret: acct.ConsumerSecret, AccessToken: acct.Token, AccessTokenSecret: acct.TokenSecret,
		Families: []string{liveperson.FamilyMessaging}}, &poller.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
		p, err := lp.Poll(ctx)
		cancel()
		if err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
		if len(p.Skills) == 0 {
			t.Errorf("poll %d: no skills, want the messaging skills", i)
		}
	}
	if got := domainCalls.Load(); got != 1 {
		t.Errorf("Domain API calls over 3 polls = %d, want 1", got)
	}
	if got := ewtCalls.Load(); got != 0 {
		t.Errorf("EWT calls = %d, want 0 (service not listed)", got)
	}
}
