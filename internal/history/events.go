package history

import (
	"encoding/binary"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Change is one agent state change: the agent entered State (with Reason) at Since,
// and the recorder saw it in the snapshot taken at At.
type Change struct {
	At     time.Time           `json:"at"`
	Agent  string              `json:"agent"`
	State  snapshot.AgentState `json:"state"`
	Reason string              `json:"reason,omitempty"`
	Since  time.Time           `json:"since,omitzero"`
}

type agentMark struct {
	state  snapshot.AgentState
	reason string
}

// changes appends the event frame of s (agents whose state or reason differ from
// prev, which it updates) to dst; it returns dst unchanged when nobody changed.
func changes(dst []byte, s *snapshot.Snapshot, prev map[string]agentMark) []byte {
	var body []byte
	n := 0
	for _, a := range s.Agents {
		m := agentMark{a.State, a.Reason}
		if old, ok := prev[a.Key]; ok && old == m {
			continue
		}
		prev[a.Key] = m
		n++
		body = appendString(body, a.Key)
		body = appendString(body, string(a.State))
		body = appendString(body, a.Reason)
		body = binary.AppendVarint(body, timeCell(a.Since))
	}
	if n == 0 {
		return dst
	}
	dst = binary.AppendUvarint(dst, uint64(n))
	return append(dst, body...)
}

// decodeChanges calls fn for each change in an event frame.
func decodeChanges(at time.Time, data []byte, fn func(Change)) error {
	b, err := unpack(data)
	if err != nil {
		return err
	}
	r := &reader{b: b}
	for range r.count() {
		c := Change{At: at, Agent: r.string(), State: snapshot.AgentState(r.string()), Reason: r.string(), Since: cellTime(r.varint())}
		if r.err != nil {
			return r.err
		}
		fn(c)
	}
	if r.err != nil || len(r.b) != 0 {
		return ErrCorrupt
	}
	return nil
}
