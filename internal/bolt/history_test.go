package bolt_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/bolt"
	"github.com/ccdash/ccdash/internal/history"
	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

func newHistory(t *testing.T) history.Store {
	t.Helper()
	// NoSync: the suite writes tens of thousands of frames; durability is bbolt's.
	s, err := bolt.OpenHistory(filepath.Join(t.TempDir(), bolt.HistoryFile), bolt.HistoryOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHistoryContract(t *testing.T) { storetest.History(t, newHistory) }

// History written before a restart reads back after it: the same boards, the same
// timeline, and recording carries on in the same file.
func TestHistorySurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), bolt.HistoryFile)
	f := storetest.NewFloor(4, 20, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 3)
	var snaps []*snapshot.Snapshot
	snaps = append(snaps, f.Snapshot())
	for range 100 {
		snaps = append(snaps, f.Step(10*time.Second))
	}
	run := func(batch []*snapshot.Snapshot) {
		s, err := bolt.OpenHistory(path, bolt.HistoryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := history.New(s, history.Config{Queue: len(batch)})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { h.Run(ctx); close(done) }()
		for _, sn := range batch {
			h.Record(sn)
		}
		waitRecorded(t, h, len(batch))
		cancel()
		<-done
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	run(snaps[:60])
	run(snaps[60:])

	s, err := bolt.OpenHistory(path, bolt.HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := history.New(s, history.Config{})
	// The sparkline ring is warmed from the file at the first write after a restart:
	// the minutes recorded before it are all there, each with its last value.
	next := f.Step(10 * time.Second)
	h.RecordNow(context.Background(), next)
	m, _ := history.MetricNamed("waiting")
	skill := snaps[0].Skills[2].Key
	pts, err := h.Series(context.Background(), history.Query{Skill: skill, Metric: m,
		From: snaps[0].TakenAt, To: next.TakenAt.Add(time.Second), Step: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	lastOf := map[time.Time]float64{}
	for _, sn := range append(snaps, next) {
		lastOf[sn.TakenAt.Truncate(time.Minute)] = float64(sn.Skills[2].Queues[0].Waiting.Or(-1))
	}
	if len(pts) != len(lastOf) {
		t.Errorf("after restart: %d minute points, want %d", len(pts), len(lastOf))
	}
	for _, p := range pts {
		if v, _ := p.Last.Get(); v != lastOf[p.At] {
			t.Errorf("after restart: minute %v last %v, want %v", p.At, v, lastOf[p.At])
		}
	}
	for _, i := range []int{10, 59, 60, 100} {
		got, err := h.At(context.Background(), snaps[i].TakenAt)
		if err != nil {
			t.Fatalf("At(snapshot %d) after restart: %v", i, err)
		}
		if g, w := storetest.Figures(t, got), storetest.Figures(t, snaps[i]); g != w {
			t.Errorf("At(snapshot %d) after restart:\n got %s\nwant %s", i, g, w)
		}
	}
}

func waitRecorded(t *testing.T, h *history.History, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for h.Stats().Recorded < int64(n) {
		if time.Now().After(deadline) {
			t.Fatalf("recorded %+v, want %d", h.Stats(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// A damaged file is moved aside with a log line naming both paths, and a fresh,
// working store takes its place.
func TestCorruptHistoryMovedAside(t *testing.T) {
	for name, damage := range map[string]func(t *testing.T, path string){
		"garbage": func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("not a bolt file "), 1024), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"damaged pages": func(t *testing.T, path string) {
			s, err := bolt.OpenHistory(path, bolt.HistoryOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var es []history.Entry
			for i := range 2000 {
				es = append(es, history.Entry{Tier: history.Raw, At: time.Unix(int64(i), 0), Data: bytes.Repeat([]byte{byte(i)}, 100)})
			}
			if err := s.Write(context.Background(), es); err != nil {
				t.Fatal(err)
			}
			s.Close()
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for i := 4 * 4096; i < len(b); i += 4096 { // keep the meta pages, smash every page header after
				copy(b[i:], bytes.Repeat([]byte{0xff}, 16))
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, bolt.HistoryFile)
			damage(t, path)
			var logs bytes.Buffer
			now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
			s, err := bolt.OpenHistory(path, bolt.HistoryOptions{Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: now})
			if err != nil {
				t.Fatalf("OpenHistory on a corrupt file: %v, want a fresh store", err)
			}
			defer s.Close()
			aside := path + ".corrupt-20260302T090000Z"
			if _, err := os.Stat(aside); err != nil {
				t.Errorf("corrupt file not moved to %s: %v", aside, err)
			}
			if l := logs.String(); !strings.Contains(l, "history file is corrupt") || !strings.Contains(l, aside) {
				t.Errorf("log %q does not say the file was moved aside to %s", l, aside)
			}
			if err := s.Write(context.Background(), []history.Entry{{Tier: history.Raw, At: now(), Data: []byte("x")}}); err != nil {
				t.Errorf("fresh store: Write: %v", err)
			}
		})
	}
}
