package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// stuckStore is a history.Store whose every Write blocks until released (a hung
// disk or network store).
type stuckStore struct {
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *stuckStore) Write(context.Context, []history.Entry) error {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	return nil
}

func (s *stuckStore) Range(context.Context, history.Tier, time.Time, time.Time, func(time.Time, []byte) error) error {
	return nil
}
func (s *stuckStore) Trim(context.Context, history.Tier, time.Time) error { return nil }
func (s *stuckStore) Close() error                                        { return nil }

// newHistoryLiveEnv runs a server whose history h records what its store
// publishes, starting from liveSnap(1, 2).
func newHistoryLiveEnv(t *testing.T, h *history.History) *liveEnv {
	t.Helper()
	st := snapshot.NewStore()
	st.Publish(liveSnap(1, 2))
	srv := New(Options{Store: st, History: h})
	ctx, cancel := context.WithCancel(context.Background())
	go srv.Run(ctx)
	go h.Watch(ctx, st)
	go h.Run(ctx)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); ts.Close(); cancel() })
	return &liveEnv{srv: srv, ts: ts, store: st}
}

// TestBlockedHistoryNeverDelaysALiveDiff: with the history store stuck inside a write,
// every published snapshot still reaches an open page as a diff, and the recorder
// counts what it could not queue.
func TestBlockedHistoryNeverDelaysALiveDiff(t *testing.T) {
	t.Parallel()
	stuck := &stuckStore{entered: make(chan struct{}), release: make(chan struct{})}
	h := history.New(stuck, history.Config{Queue: 2})
	t.Cleanup(func() { close(stuck.release) })
	e := newHistoryLiveEnv(t, h)
	st := e.store

	rctx, rcancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer rcancel()
	select {
	case <-stuck.entered:
	case <-rctx.Done():
		t.Fatal("the recorder never reached the store")
	}
	c, _ := e.dial(t, rctx)
	defer c.CloseNow()
	for i := range 20 {
		waiting := int64(10 + i)
		st.Publish(liveSnap(uint64(2+i), waiting))
		_, msg, err := c.Read(rctx)
		if err != nil {
			t.Fatalf("diff %d while history is stuck: %v", i, err)
		}
		if !strings.Contains(string(msg), ">"+itoa(int(waiting))+"<") {
			t.Fatalf("diff %d does not carry waiting %d: %.300s", i, waiting, msg)
		}
	}
	// Watch may coalesce publications, so fill the queue directly: with the store
	// stuck, at most two more fit, and the rest are dropped and counted.
	for i := range 3 {
		h.Record(liveSnap(uint64(100+i), 1))
	}
	if h.Stats().Dropped == 0 {
		t.Fatalf("no drops counted with the store stuck and a queue of 2: %+v", h.Stats())
	}
}
