package server

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ccdash/ccdash/internal/convs"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/poller/liveperson"
	"github.com/ccdash/ccdash/internal/simulator"
	simliveperson "github.com/ccdash/ccdash/internal/simulator/liveperson"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/views"
)

// The drill-down's conversations list end to end: a real simulator behind the real
// LivePerson connector, a convs.Manager with short intervals, the server and real
// sockets. Vendor requests are counted at the simulator.

const (
	convsPath   = "/messaging_history/api/account/12345678/conversations/search"
	chatsPath   = "/interaction_history/api/account/12345678/interactions/search"
	convsTick   = 150 * time.Millisecond
	convsLinger = 300 * time.Millisecond
)

type convsEnv struct {
	*authEnv
	sim     *simulator.Simulator
	m       *convs.Manager
	skill   snapshot.Skill
	asked   atomic.Int64   // conversations/search bodies that asked for messageRecords
	vc      *poller.Client // the source's client (and budget)
	lp      *liveperson.Source
	stopped func()
}

// newConvsEnv serves boards "lobby" (private) and, when transcripts, "care" with
// show_transcripts; the snapshot holds the authEnv skills plus the LivePerson
// skill with the most open messaging conversations in the simulator's afternoon.
func newConvsEnv(t *testing.T, budget *poller.Budget, transcripts bool) *convsEnv {
	t.Helper()
	simCfg := simulator.DefaultCredentials()
	simCfg.RateLimit = -1
	simCfg.Start = time.Date(2025, 3, 12, 14, 0, 0, 0, time.UTC)
	sim := simulator.NewSelfClocked(simCfg)
	e := &convsEnv{sim: sim}
	vendor := sim.Handler(simliveperson.Routes)
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == convsPath {
			b, _ := io.ReadAll(r.Body)
			if bytes.Contains(b, []byte(`"messageRecords"`)) {
				e.asked.Add(1)
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
		}
		vendor.ServeHTTP(w, r)
	}))
	t.Cleanup(simSrv.Close)
	acct := simCfg.LivePerson
	e.vc = &poller.Client{Timeout: 5 * time.Second, Budget: budget}
	lp, err := liveperson.New(liveperson.Config{ID: "lp", AccountID: acct.AccountID, DomainURL: simSrv.URL, Insecure: true,
		AppKey: acct.ConsumerKey, Secret: acct.ConsumerSecret, AccessToken: acct.Token, AccessTokenSecret: acct.TokenSecret,
		Now: sim.Now}, e.vc)
	if err != nil {
		t.Fatal(err)
	}
	e.lp = lp
	e.skill = sim.BusiestLivePersonSkill("lp")
	ctx, cancel := context.WithCancel(context.Background())
	e.m = convs.New(ctx, map[string]convs.Fetcher{"lp": lp}, convs.Options{Interval: convsTick, Linger: convsLinger})
	e.stopped = func() { cancel(); e.m.Wait() }
	t.Cleanup(e.stopped)
	e.authEnv = newAuthEnv(t, func(o *Options) {
		o.Conversations = e.m
		if transcripts {
			o.Boards = append(o.Boards, views.Board{ID: "care", Title: "Care", ShowTranscripts: true})
		}
	})
	snap := scopedSnap(2, 1)
	snap.Skills = append(snap.Skills, e.skill)
	snap.Sources = append(snap.Sources, snapshot.SourceStatus{ID: "lp", Kind: "liveperson", LastSuccess: snap.TakenAt})
	e.store.Publish(snap)
	return e
}

func (e *convsEnv) vendorRequests() int { return e.sim.Requests(convsPath) + e.sim.Requests(chatsPath) }

func (e *convsEnv) drillPath(board string) string {
	return "/ws?board=" + board + "&view=manager&skill=" + e.skill.Key
}

// openViewers opens n drill-down sockets as admin and returns a func closing them.
func (e *convsEnv) openViewers(t *testing.T, ctx context.Context, n int, board string) func() {
	t.Helper()
	c := e.client(t)
	e.login(t, c, "admin", adminPW)
	var conns []*websocket.Conn
	for range n {
		conn, _, _, err := e.dialWS(t, ctx, c, e.drillPath(board), nil)
		if err != nil {
			t.Fatalf("drill-down socket: %v", err)
		}
		go func() { // keep reading so the hub never kicks a slow reader
			for {
				if _, _, err := conn.Read(ctx); err != nil {
					return
				}
			}
		}()
		conns = append(conns, conn)
	}
	return func() {
		for _, conn := range conns {
			conn.Close(websocket.StatusNormalClosure, "")
		}
	}
}

// TestDrillDownCostsVendorRequestsOnlyWhileOpen: pages and other sockets cost the
// vendor nothing; an open drill-down refreshes on one loop whatever the number of
// viewers (the same requests per refresh for 1 and 20 viewers, exactly one loop);
// after the last viewer leaves the loop ends and no request follows.
func TestDrillDownCostsVendorRequestsOnlyWhileOpen(t *testing.T) {
	t.Parallel()
	e := newConvsEnv(t, nil, false)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	admin := e.client(t)
	e.login(t, admin, "admin", adminPW)
	if r := do(t, admin, "GET", e.ts.URL+"/boards/lobby?skill="+e.skill.Key, nil); r.code != 200 || !strings.Contains(r.body, `id="tile-convs"`) {
		t.Fatalf("drill-down page: %d, conversations tile present %v", r.code, strings.Contains(r.body, `id="tile-convs"`))
	}
	wall, _, _, err := e.dialWS(t, ctx, admin, "/ws?board=lobby&view=manager", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer wall.CloseNow()
	time.Sleep(3 * convsTick) // longer than a refresh: nothing may be fetched meanwhile
	if n := e.vendorRequests(); n != 0 || e.m.Loops() != 0 {
		t.Fatalf("%d vendor requests, %d loops with no drill-down socket open", n, e.m.Loops())
	}

	phase := func(viewers int) (requests, refreshes int) {
		r0, f0 := e.vendorRequests(), e.m.Fetches()
		opened := time.Now()
		closeAll := e.openViewers(t, ctx, viewers, "lobby")
		if got := e.m.Loops(); got != 1 {
			t.Errorf("%d viewers: %d fetch loops, want 1", viewers, got)
		}
		waitFor(t, func() bool { return e.m.Fetches()-f0 >= 3 })
		closeAll()
		waitFor(t, func() bool { return e.m.Loops() == 0 })
		open := time.Since(opened) // until the loop ended: covers the server noticing the close
		refreshes = int(e.m.Fetches() - f0)
		// One loop refreshes at once and then once per tick, never more (a slow machine
		// only makes it fewer); a loop per viewer would be twenty times that.
		if most := int(open/convsTick) + 2; refreshes > most {
			t.Errorf("%d viewers: %d refreshes in %v, one loop makes at most %d", viewers, refreshes, open, most)
		}
		return e.vendorRequests() - r0, refreshes
	}
	req1, ref1 := phase(1)
	req20, ref20 := phase(20)
	perRefresh := len(e.skill.Queues) // one page of each method: the manual floor holds < 100 of each
	if req1 != ref1*perRefresh || req20 != ref20*perRefresh {
		t.Errorf("1 viewer: %d requests in %d refreshes; 20 viewers: %d in %d; want %d per refresh for both",
			req1, ref1, req20, ref20, perRefresh)
	}
	after := e.vendorRequests()
	time.Sleep(3 * convsTick)
	if n := e.vendorRequests(); n != after {
		t.Errorf("%d vendor requests after the last viewer left and the loop ended", n-after)
	}
}

// TestDrillDownNeverExceedsTheBudget: the board's poll and twenty drill-down viewers
// refreshing every 150 ms share the source's budget of 8 requests a second; the
// simulator never sees more than the budget allows over the whole run.
func TestDrillDownNeverExceedsTheBudget(t *testing.T) {
	t.Parallel()
	const limit, window = 8, time.Second
	e := newConvsEnv(t, poller.NewBudget(limit, window), false)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	closeAll := e.openViewers(t, ctx, 20, "lobby")
	pollCtx, stopPoll := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the regular poll, on the same client and budget
		defer wg.Done()
		for pollCtx.Err() == nil {
			_, _ = e.lp.Poll(pollCtx)
		}
	}()
	waitFor(t, func() bool { return e.m.Fetches() >= 6 && time.Since(start) > 3*window })
	closeAll()
	stopPoll()
	wg.Wait()
	e.stopped()
	elapsed := time.Since(start)
	allowed := limit * (int(elapsed/window) + 1)
	if got := e.sim.Requests("/"); got > allowed || e.vc.Budget.Sent() > int64(allowed) {
		t.Errorf("%d vendor requests (budget let %d through) in %v; the budget allows at most %d", got, e.vc.Budget.Sent(), elapsed, allowed)
	}
	if e.vendorRequests() == 0 {
		t.Error("no drill-down request got through: the budget starved it")
	}
}

// TestDrillDownScopedLikeTheBoard: a manager limited to another skill gets the
// board's 404 for the drill-down page and its socket, and no fetch starts.
func TestDrillDownScopedLikeTheBoard(t *testing.T) {
	t.Parallel()
	e := newConvsEnv(t, nil, false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mgr := e.client(t)
	e.login(t, mgr, "manager", managerPW)
	if r := do(t, mgr, "GET", e.ts.URL+"/boards/lobby?skill="+e.skill.Key, nil); r.code != http.StatusNotFound {
		t.Errorf("scoped manager opened another skill's drill-down: %d", r.code)
	}
	if _, _, res, err := e.dialWS(t, ctx, mgr, e.drillPath("lobby"), nil); err == nil || res == nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("scoped manager's drill-down socket: err %v, response %v; want a 404", err, res)
	}
	time.Sleep(3 * convsTick)
	if n := e.vendorRequests(); n != 0 || e.m.Loops() != 0 {
		t.Errorf("%d vendor requests and %d loops after refused drill-downs", n, e.m.Loops())
	}
}

// TestDrillDownShowsNoTextByDefault: on a board without show_transcripts the list
// carries ids and waits but no customer message, and the vendor is never asked for
// one; a board with show_transcripts: true shows the latest message.
func TestDrillDownShowsNoTextByDefault(t *testing.T) {
	t.Parallel()
	e := newConvsEnv(t, nil, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open, _ := e.sim.Conversations(e.skill.ID)
	if len(open) == 0 {
		t.Fatal("the simulated skill has no open conversation: the test would prove nothing")
	}
	tile := func(board string) string {
		t.Helper()
		closeAll := e.openViewers(t, ctx, 1, board)
		defer closeAll()
		admin := e.client(t)
		e.login(t, admin, "admin", adminPW)
		var body string
		waitFor(t, func() bool {
			body = do(t, admin, "GET", e.ts.URL+"/boards/"+board+"?skill="+e.skill.Key, nil).body
			return strings.Contains(body, `data-id="`+open[0].ID+`"`)
		})
		return body
	}
	plain := tile("lobby")
	for _, line := range consumerLines {
		if strings.Contains(plain, html.EscapeString(line)) {
			t.Errorf("a board without show_transcripts shows conversation text %q", line)
		}
	}
	if strings.Contains(plain, "Last message") || e.asked.Load() != 0 {
		t.Errorf("text column shown or text asked of the vendor (%d requests) without show_transcripts", e.asked.Load())
	}
	shown := tile("care")
	found := false
	for _, line := range consumerLines {
		found = found || strings.Contains(shown, html.EscapeString(line))
	}
	if !found || e.asked.Load() == 0 {
		t.Errorf("show_transcripts: true shows no message (found %v) or never asked for one (%d)", found, e.asked.Load())
	}
}

// consumerLines are the simulator's customer messages (internal/simulator/liveperson).
var consumerLines = []string{
	"Hi, my last invoice looks wrong", "Where is my order?", "I can't log in to my account",
	"Can I change my delivery address?", "How do I cancel my subscription?", "The app keeps crashing",
}
