package liveperson_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// TestConversationsAgreeWithSimulatorTruth fetches every LivePerson skill's
// drill-down through the real connector (Domain API, OAuth 1.0, paging) at several
// moments of a busy simulated day and compares it with the simulator's ground truth:
// the same ids in the same order (longest-waiting first), states, waiting-since times,
// agents and transfers; as many waiting conversations as the skill's waiting count;
// and the chats that ended unanswered in the last 30 minutes, classified as the
// simulator ended them.
func TestConversationsAgreeWithSimulatorTruth(t *testing.T) {
	t.Parallel()
	sim, lp := convsRig(t, nil)
	seenWaiting, seenAssigned, seenUnanswered := 0, 0, 0
	for round := range 4 {
		sim.Advance(7 * time.Minute)
		truth := sim.Truth()
		for _, sk := range truth.Skills {
			if sk.Vendor != simulator.VendorLivePerson {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			got, err := lp.Conversations(ctx, sk.ID, sk.Channels, false)
			cancel()
			if err != nil {
				t.Fatalf("round %d skill %s: %v", round, sk.ID, err)
			}
			open, unanswered := sim.Conversations(sk.ID)
			if slices.Contains(sk.Channels, snapshot.Messaging) {
				compareConvs(t, sk.ID+" open", got.Open, open)
				waiting := 0
				for _, c := range got.Open {
					if c.State == snapshot.ConvWaiting {
						waiting++
					} else {
						seenAssigned++
					}
				}
				if q := queueOf(sk, snapshot.Messaging); waiting != q.Waiting {
					t.Errorf("round %d skill %s: %d waiting conversations, the skill's waiting count is %d", round, sk.ID, waiting, q.Waiting)
				}
				seenWaiting += waiting
			} else if got.Open != nil {
				t.Errorf("skill %s has no messaging channel but an open list", sk.ID)
			}
			if slices.Contains(sk.Channels, snapshot.Chat) {
				for i := range unanswered { // engagementId = account id + chat id, as documented
					unanswered[i].ID = simulator.DefaultCredentials().LivePerson.AccountID + unanswered[i].ID
				}
				compareConvs(t, sk.ID+" unanswered", got.Unanswered, unanswered)
				seenUnanswered += len(got.Unanswered)
			}
			if got.Truncated || got.FetchedAt.IsZero() {
				t.Errorf("skill %s: truncated %v, fetched at %v", sk.ID, got.Truncated, got.FetchedAt)
			}
		}
	}
	if seenWaiting == 0 || seenAssigned == 0 || seenUnanswered == 0 {
		t.Fatalf("the comparison saw %d waiting, %d assigned, %d unanswered: it proved nothing", seenWaiting, seenAssigned, seenUnanswered)
	}
}

// convsRig is a manual simulator in the afternoon peak whose clock (OAuth
// timestamps, rate limits) and the connector's both follow simulated time, so tests
// can advance it freely.
// wrap, when set, stands between the connector and the simulator (faults).
func convsRig(t *testing.T, wrap func(http.Handler) http.Handler) (*simulator.Simulator, *liveperson.Source) {
	t.Helper()
	simCfg := simulator.DefaultCredentials()
	simCfg.RateLimit = -1
	simCfg.Start = time.Date(2025, 3, 12, 14, 0, 0, 0, time.UTC)
	sim := simulator.NewSelfClocked(simCfg)
	h := sim.Handler(simliveperson.Routes)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	acct := simCfg.LivePerson
	lp, err := liveperson.New(liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: srv.URL, Insecure: true,
		AppKey: acct.ConsumerKey, Secret: acct.ConsumerSecret, AccessToken: acct.Token, AccessTokenSecret: acct.TokenSecret,
		Now: sim.Now}, &poller.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return sim, lp
}

func queueOf(sk simulator.SkillTruth, ch snapshot.Channel) simulator.QueueTruth {
	for _, q := range sk.Queues {
		if q.Channel == ch {
			return q
		}
	}
	return simulator.QueueTruth{}
}

func compareConvs(t *testing.T, what string, got []snapshot.Conversation, want []simulator.ConvTruth) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d conversations, truth has %d", what, len(got), len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.State != w.State || !g.WaitingSince.Equal(w.WaitingSince) || !g.Ended.Equal(w.Ended) ||
			g.Agent != w.Agent || g.Transfers != w.Transfers || g.Channel != w.Channel || g.Text != "" {
			t.Errorf("%s [%d]:\n got %+v\nwant %+v", what, i, g, w)
		}
	}
}

// TestConversationsWithoutEngagementHistory: an account whose key may not read
// Engagement History (403) still gets its open messaging conversations; the chat
// list is left out and the reason given, instead of failing the whole drill-down.
func TestConversationsWithoutEngagementHistory(t *testing.T) {
	t.Parallel()
	sim, lp := convsRig(t, func(vendor http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/interactions/search") {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			vendor.ServeHTTP(w, r)
		})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := lp.Conversations(ctx, "102", []snapshot.Channel{snapshot.Chat, snapshot.Messaging}, false)
	open, _ := sim.Conversations("102")
	if err != nil || got.Open == nil || len(got.Open) != len(open) || got.Unanswered != nil || !strings.Contains(got.Err, "Engagement History") {
		t.Fatalf("err %v, %d open (truth %d), unanswered %v, note %q", err, len(got.Open), len(open), got.Unanswered, got.Err)
	}
}
