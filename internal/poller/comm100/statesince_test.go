package comm100

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/poller"
	"github.com/ccdash/ccdash/internal/snapshot"
)

// Agent ids and the away status of the realtime-agents and away-statuses fixtures.
const (
	sritaID    = "51f36e1a-d521-43bf-a0a8-20cbade284e4" // online, one chat
	frankID    = "74ed2bc3-a41f-4dc8-9ae0-f562ebea5943" // offline
	awayStatus = "5827eacf-c08e-4eb9-b09c-00155d081d0b"
)

// TestComm100TimeInState: Comm100 gives no state-since time, so the poller times it
// from consecutive polls: a state it first sees is "at least" since that poll; a
// change seen between two polls starts at the later one; and both survive a restart
// through the bbolt store in data_dir.
func TestComm100TimeInState(t *testing.T) {
	t.Parallel()
	bodies := exampleBodies(t)
	fake, srv := newFakeComm100(t, false, bodies)
	online := bodies["livechat/realTime/Agents"]
	away := strings.Replace(online, `"agentId":"`+sritaID+`","displayName":"srita2 chen","currentStatusId":"00000000-0000-0000-0000-000000000000"`,
		`"agentId":"`+sritaID+`","displayName":"srita2 chen","currentStatusId":"`+awayStatus+`"`, 1)
	if away == online {
		t.Fatal("fixture changed: cannot set srita's status")
	}
	dbPath := filepath.Join(t.TempDir(), "ccdash.db")

	// run polls until cond holds for the agents of a published snapshot, then stops
	// the poller (Run returns after the saver's last write) and closes the store.
	run := func(what string, cond func(srita, frank snapshot.Agent) bool) (srita, frank snapshot.Agent) {
		t.Helper()
		db, err := bolt.Open(dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		st, err := bolt.NewStateSinceStore(db)
		if err != nil {
			t.Fatal(err)
		}
		src, client := newTestComm100(t, srv, false)
		store := snapshot.NewStore()
		var logs strings.Builder
		log := slog.New(slog.NewTextHandler(&logs, nil))
		defer func() {
			if strings.Contains(logs.String(), "state-since") {
				t.Errorf("%s: poller logged a state-since failure:\n%s", what, logs.String())
			}
		}()
		p := poller.New(store, []poller.SourceConfig{{Source: src, Client: client, Interval: 50 * time.Millisecond, Jitter: -1}}, log, nil).WithStateSince(st)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx) }()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case <-store.Changed():
			case <-deadline:
				t.Fatalf("%s: not seen within 30s; last snapshot: %+v", what, store.Load())
			}
			snap := store.Load()
			srita, frank = agentByID(snap, sritaID), agentByID(snap, frankID)
			if srita.Key != "" && frank.Key != "" && cond(srita, frank) {
				return srita, frank
			}
		}
	}

	start := time.Now()
	s1, f1 := run("first poll", func(s, f snapshot.Agent) bool { return true })
	for _, a := range []snapshot.Agent{s1, f1} {
		if a.Since.Before(start) || !a.SinceAtLeast {
			t.Errorf("first sighting of %s (%s): since %v at least %v, want at least since this run's first poll (after %v)", a.Name, a.State, a.Since, a.SinceAtLeast, start)
		}
	}

	fake.mu.Lock()
	fake.bodies["livechat/realTime/Agents"] = away
	fake.mu.Unlock()
	s2, f2 := run("srita away (after a restart)", func(s, f snapshot.Agent) bool { return s.State == snapshot.Away })
	if !s2.Since.After(s1.Since) || s2.SinceAtLeast {
		t.Errorf("srita after going away: since %v (at least %v), want a time after %v, not a lower bound", s2.Since, s2.SinceAtLeast, s1.Since)
	}
	if !f2.Since.Equal(f1.Since) || !f2.SinceAtLeast {
		t.Errorf("frank, unchanged across the restart: since %v (at least %v), want %v (at least)", f2.Since, f2.SinceAtLeast, f1.Since)
	}

	// Two polls within one run: still away, still the same start.
	polls := 0
	s3, _ := run("srita still away after polls", func(s, f snapshot.Agent) bool { polls++; return polls >= 3 })
	if s3.State != snapshot.Away || !s3.Since.Equal(s2.Since) || s3.SinceAtLeast {
		t.Errorf("srita after a restart and more polls: %s since %v (at least %v), want away since %v", s3.State, s3.Since, s3.SinceAtLeast, s2.Since)
	}
}

func agentByID(snap *snapshot.Snapshot, id string) snapshot.Agent {
	if snap != nil {
		for _, a := range snap.Agents {
			if a.ID == id {
				return a
			}
		}
	}
	return snapshot.Agent{}
}
