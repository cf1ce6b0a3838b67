package cluster

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
	"github.com/ccdash/ccdash/internal/storetest"
)

// TestWireRoundTrip: a snapshot decodes to the same JSON it was encoded from (unknown
// figures stay unknown), without the sender's replica stamp.
func TestWireRoundTrip(t *testing.T) {
	t.Parallel()
	fl := storetest.NewFloor(50, 500, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), 1)
	s := fl.Step(time.Second)
	s.Replica = &snapshot.Replica{Role: snapshot.RoleLeader, Term: 3}
	at := time.Unix(0, 1_700_000_000_123_456_789)
	b, err := encodeSnapshot(7, 42, at, s)
	if err != nil {
		t.Fatal(err)
	}
	m, err := decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.kind != kindSnapshot || m.term != 7 || m.seq != 42 || !m.sentAt.Equal(at) || m.snap.Replica != nil {
		t.Fatalf("decoded header = %c %d %d %v, replica %v", m.kind, m.term, m.seq, m.sentAt, m.snap.Replica)
	}
	want := *s
	want.Replica = nil
	wj, _ := json.Marshal(&want)
	gj, _ := json.Marshal(m.snap)
	if !bytes.Equal(wj, gj) {
		t.Errorf("round trip changed the snapshot (%d vs %d bytes of JSON)", len(wj), len(gj))
	}
	t.Logf("50 skills / 500 agents: %d bytes on the wire (%d bytes of JSON)", len(b), len(wj))

	for _, c := range []struct {
		b    []byte
		kind byte
	}{{encodeHeartbeat(7, 43, at), kindHeartbeat}, {encodeKick("device:x", "unlinked"), kindKick}} {
		m, err := decode(c.b)
		if err != nil || m.kind != c.kind {
			t.Errorf("decode(%q) = %+v, %v", c.b, m, err)
		}
	}
	if m, _ := decode(encodeKick("device:x", "unlinked")); m.key != "device:x" || m.reason != "unlinked" {
		t.Errorf("kick = %q %q", m.key, m.reason)
	}
	if _, err := decode(append([]byte{2}, b[1:]...)); err == nil {
		t.Error("another wire version decoded")
	}
}

func FuzzDecode(f *testing.F) {
	s := storetest.NewFloor(2, 5, time.Unix(1e9, 0), 1).Step(time.Second)
	b, _ := encodeSnapshot(1, 2, time.Unix(3, 0), s)
	f.Add(b)
	f.Add(encodeHeartbeat(1, 2, time.Unix(3, 0)))
	f.Add(encodeKick("k", "r"))
	f.Add([]byte{1, 'k', 200})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decode(b)
		if err == nil && m.kind == kindSnapshot && m.snap == nil {
			t.Fatal("snapshot message without a snapshot")
		}
	})
}
