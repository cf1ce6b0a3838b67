package cluster

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// wireVersion is the first byte of every message. A replica refuses other versions,
// so a fleet in the middle of a rolling upgrade that changed the encoding shows stale
// data on the old replicas instead of misreading the new leader.
const wireVersion = 1

// Message kinds (the second byte).
const (
	kindSnapshot  = 's' // a whole snapshot: (term, seq, sent at, gzip JSON)
	kindHeartbeat = 'h' // the leader is alive: (term, seq of its latest snapshot, sent at)
	kindKick      = 'k' // close the sockets of a principal key: (key, reason)
)

// maxSnapshotJSON caps a decoded snapshot, so a hostile or broken message cannot make a
// replica allocate without bound (500 agents is about 400 KB of JSON).
const maxSnapshotJSON = 64 << 20

// message is one publication on the cluster channel.
type message struct {
	kind   byte
	term   uint64
	seq    uint64
	sentAt time.Time
	snap   *snapshot.Snapshot // kindSnapshot
	key    string             // kindKick
	reason string             // kindKick
}

// newer reports whether (term, seq) comes after (t, s).
func newer(term, seq, t, s uint64) bool { return term > t || term == t && seq > s }

// encodeSnapshot is the wire form of a snapshot publication. The replica stamp is left
// out: each replica writes its own.
func encodeSnapshot(term, seq uint64, at time.Time, s *snapshot.Snapshot) ([]byte, error) {
	c := *s
	c.Replica = nil
	buf := header(kindSnapshot, term, seq, at)
	b := bytes.NewBuffer(buf)
	zw, _ := gzip.NewWriterLevel(b, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(&c); err != nil {
		return nil, fmt.Errorf("cluster: encode snapshot: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("cluster: encode snapshot: %w", err)
	}
	return b.Bytes(), nil
}

func encodeHeartbeat(term, seq uint64, at time.Time) []byte {
	return header(kindHeartbeat, term, seq, at)
}

func encodeKick(key, reason string) []byte {
	b := []byte{wireVersion, kindKick}
	b = binary.AppendUvarint(b, uint64(len(key)))
	return append(append(b, key...), reason...)
}

func header(kind byte, term, seq uint64, at time.Time) []byte {
	b := []byte{wireVersion, kind}
	b = binary.AppendUvarint(b, term)
	b = binary.AppendUvarint(b, seq)
	return binary.AppendVarint(b, at.UnixNano())
}

var errBadMessage = errors.New("cluster: malformed message")

// decode parses one message; it never panics on any input (FuzzDecode).
func decode(b []byte) (message, error) {
	if len(b) < 2 {
		return message{}, errBadMessage
	}
	if b[0] != wireVersion {
		return message{}, fmt.Errorf("cluster: wire version %d, this replica speaks %d", b[0], wireVersion)
	}
	m := message{kind: b[1]}
	r := bytes.NewReader(b[2:])
	if m.kind == kindKick {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > uint64(r.Len()) {
			return message{}, errBadMessage
		}
		rest := b[len(b)-r.Len():]
		m.key, m.reason = string(rest[:n]), string(rest[n:])
		return m, nil
	}
	if m.kind != kindSnapshot && m.kind != kindHeartbeat {
		return message{}, fmt.Errorf("cluster: unknown message kind %q", m.kind)
	}
	var err error
	if m.term, err = binary.ReadUvarint(r); err != nil {
		return message{}, errBadMessage
	}
	if m.seq, err = binary.ReadUvarint(r); err != nil {
		return message{}, errBadMessage
	}
	ns, err := binary.ReadVarint(r)
	if err != nil {
		return message{}, errBadMessage
	}
	m.sentAt = time.Unix(0, ns)
	if m.kind == kindHeartbeat {
		return m, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return message{}, errBadMessage
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxSnapshotJSON+1))
	if err != nil || len(raw) > maxSnapshotJSON {
		return message{}, fmt.Errorf("cluster: snapshot payload unreadable or over %d bytes", maxSnapshotJSON)
	}
	m.snap = &snapshot.Snapshot{}
	if err := json.Unmarshal(raw, m.snap); err != nil {
		return message{}, fmt.Errorf("cluster: snapshot payload: %w", err)
	}
	return m, nil
}
