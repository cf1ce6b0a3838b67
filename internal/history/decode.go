package history

import (
	"bytes"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// chain is the decoder's state: the layout, string table and cells of the last frame
// applied. Delta frames before the first keyframe are skipped (ok stays false).
type chain struct {
	lay   *layout
	strs  []string
	cells []int64
	ok    bool
	// buf holds the last frame inflated: what apply returns is valid until the
	// next apply.
	buf bytes.Buffer
}

// apply decodes one frame into c and returns what follows its body (a minute
// frame's aggregates), valid until the next apply.
func (c *chain) apply(data []byte) (rest []byte, err error) {
	frame, err := unpackInto(&c.buf, data)
	if err != nil {
		c.ok = false
		return nil, err
	}
	r := &reader{b: frame}
	kind := r.bytes(1)
	body := r.bytes(r.count())
	if r.err != nil {
		return nil, r.err
	}
	switch kind[0] {
	case kindKey:
		err = c.key(body)
	case kindDelta:
		if c.ok {
			err = c.delta(body)
		}
	default:
		err = ErrCorrupt
	}
	if err != nil {
		c.ok = false
		return nil, err
	}
	return r.b, nil
}

func (c *chain) key(z []byte) error {
	raw, err := inflate(z)
	if err != nil {
		return err
	}
	r := &reader{b: raw}
	n := r.count()
	c.strs = c.strs[:0]
	for range n {
		c.strs = append(c.strs, r.string())
	}
	str := func() string {
		i := r.uvarint()
		if i >= uint64(len(c.strs)) {
			r.fail()
			return ""
		}
		return c.strs[i]
	}
	l := &layout{}
	l.sources = make([]sourceLayout, r.count())
	for i := range l.sources {
		l.sources[i] = sourceLayout{str(), str()}
	}
	l.accounts = make([]string, r.count())
	for i := range l.accounts {
		l.accounts[i] = str()
	}
	l.skills = make([]skillLayout, r.count())
	for i := range l.skills {
		sk := skillLayout{key: str(), id: str(), source: str(), name: str()}
		sk.channels = make([]snapshot.Channel, r.count())
		for j := range sk.channels {
			sk.channels[j] = snapshot.Channel(str())
		}
		l.skills[i] = sk
	}
	l.agents = make([]agentLayout, r.count())
	for i := range l.agents {
		a := agentLayout{key: str(), id: str(), source: str(), name: str()}
		a.skills = make([]string, r.count())
		for j := range a.skills {
			a.skills[j] = str()
		}
		l.agents[i] = a
	}
	l.index()
	cells := r.count()
	if r.err == nil && cells != l.total && len(l.agents) > 0 {
		// A keyframe from before the day activity: agents are narrower.
		l.agentCells = cellsAgentV1
		l.index()
	}
	if r.err == nil && cells != l.total {
		return ErrCorrupt
	}
	c.cells = c.cells[:0]
	for range cells {
		c.cells = append(c.cells, r.varint())
	}
	if r.err != nil || len(r.b) != 0 {
		return ErrCorrupt
	}
	c.lay, c.ok = l, true
	return nil
}

func (c *chain) delta(body []byte) error {
	r := &reader{b: body}
	for range r.count() {
		c.strs = append(c.strs, r.string())
	}
	i := -1
	for range r.count() {
		i += int(r.uvarint()) + 1
		if i < 0 || i >= len(c.cells) {
			return ErrCorrupt
		}
		c.cells[i] += r.varint()
	}
	if r.err != nil || len(r.b) != 0 {
		return ErrCorrupt
	}
	return nil
}

func (c *chain) str(cell int64) string {
	if cell < 0 || cell >= int64(len(c.strs)) {
		return ""
	}
	return c.strs[cell]
}

// snapshot builds the snapshot the chain holds now.
func (c *chain) snapshot() *snapshot.Snapshot {
	l, cells := c.lay, c.cells
	s := &snapshot.Snapshot{Version: uint64(cells[0]), TakenAt: cellTime(cells[1]),
		Sources:  make([]snapshot.SourceStatus, len(l.sources)),
		Accounts: make([]snapshot.Account, len(l.accounts)),
		Skills:   make([]snapshot.Skill, len(l.skills)),
		Agents:   make([]snapshot.Agent, len(l.agents)),
	}
	for i, src := range l.sources {
		v := cells[cellsHead+i*cellsSource:]
		st := snapshot.SourceStatus{ID: src.id, Kind: src.kind, LastSuccess: cellTime(v[0]), LastAttempt: cellTime(v[1]),
			ConsecutiveFailures: int(v[2]), NextPoll: cellTime(v[3]), Requests: v[4], RateLimited: v[5]}
		if v[6] == 1 {
			st.LastError = &snapshot.SourceError{Kind: snapshot.ErrorKind(c.str(v[7])), Text: c.str(v[8]), At: cellTime(v[9])}
		}
		s.Sources[i] = st
	}
	for i, src := range l.accounts {
		s.Accounts[i] = accountFrom(src, cells[l.accountOff+i*cellsAccount:])
	}
	for i, sk := range l.skills {
		out := snapshot.Skill{Key: sk.key, ID: sk.id, Source: sk.source, Name: sk.name,
			Queues: make([]snapshot.Queue, len(sk.channels))}
		for j, ch := range sk.channels {
			out.Queues[j] = queueFrom(ch, cells[l.skillOff[i]+j*cellsQueue:])
		}
		out.Agents = countsFrom(cells[l.skillOff[i+1]-cellsCounts:])
		s.Skills[i] = out
	}
	for i, a := range l.agents {
		v := cells[l.agentOff+i*l.agentCells : l.agentOff+(i+1)*l.agentCells]
		s.Agents[i] = snapshot.Agent{Key: a.key, ID: a.id, Source: a.source, Name: a.name,
			State: snapshot.AgentState(c.str(v[0])), Reason: c.str(v[1]), Since: cellTime(v[2]),
			Load: cellRatio(v[3]), Open: cellInt(v[4]), MaxSlots: cellInt(v[5]), HandledToday: cellInt(v[6]),
			Activity: activityFrom(v[cellsAgentV1:]), Skills: a.skills}
	}
	return s
}
