package history

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// Frame kinds (the first byte of a frame).
const (
	kindKey   byte = 0x11 // layout + string table + every cell, deflated
	kindDelta byte = 0x12 // new strings + the cells that changed
	// kindPacked wraps a whole deflated frame (delta, minute and event frames):
	// delta varints and repeated agent keys compress by half and more.
	kindPacked byte = 0x20
)

// packer deflates frames for storage; it belongs to the recorder's goroutine.
type packer struct {
	buf bytes.Buffer
	zw  *flate.Writer
}

func (p *packer) pack(frame []byte) []byte {
	p.buf.Reset()
	p.buf.WriteByte(kindPacked)
	if p.zw == nil {
		p.zw, _ = flate.NewWriter(&p.buf, flate.BestSpeed) // level is valid: no error
	} else {
		p.zw.Reset(&p.buf)
	}
	_, _ = p.zw.Write(frame) // writes to a bytes.Buffer do not fail
	_ = p.zw.Close()
	return bytes.Clone(p.buf.Bytes())
}

// unpack returns the frame inside stored data (itself when not packed).
func unpack(data []byte) ([]byte, error) {
	if len(data) > 0 && data[0] == kindPacked {
		return inflate(data[1:])
	}
	return data, nil
}

// unpackInto is unpack inflating into buf (reset first), so a walk over many frames
// reuses one buffer: the result is valid until buf is used again.
func unpackInto(buf *bytes.Buffer, data []byte) ([]byte, error) {
	if len(data) == 0 || data[0] != kindPacked {
		return data, nil
	}
	buf.Reset()
	if err := inflateTo(buf, data[1:]); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encoder turns a stream of snapshots into one chain of frames: a keyframe when the
// chain starts, the layout changes or a new window begins, delta frames otherwise.
type encoder struct {
	window time.Duration // keyframe window (10m raw, 1h minute)
	// activity records agents' day activity. Only the minute tier does: the times
	// are cumulative and kept to the minute, so every poll between two minutes would
	// repeat them, and 24 h of them at poll resolution cost more than they tell.
	activity bool

	lay   *layout // nil: no chain, next frame is a keyframe
	start time.Time
	strs  []string
	index map[string]int64
	cells []int64
	next  []int64

	z packer
}

func newEncoder(window time.Duration, activity bool) *encoder {
	return &encoder{window: window, activity: activity}
}

// reset drops the chain (after a failed write): the next frame is a keyframe.
func (e *encoder) reset() { e.lay = nil }

func (e *encoder) intern(s string) int64 {
	if i, ok := e.index[s]; ok {
		return i
	}
	i := int64(len(e.strs))
	e.strs = append(e.strs, s)
	e.index[s] = i
	return i
}

// cellsOf computes the cells of s (interning its strings) into e.next.
func (e *encoder) cellsOf(s *snapshot.Snapshot) []int64 {
	c := append(e.next[:0], int64(s.Version), timeCell(s.TakenAt))
	for _, src := range s.Sources {
		c = append(c, timeCell(src.LastSuccess), timeCell(src.LastAttempt), int64(src.ConsecutiveFailures),
			timeCell(src.NextPoll), src.Requests, src.RateLimited)
		if le := src.LastError; le != nil {
			c = append(c, 1, e.intern(string(le.Kind)), e.intern(le.Text), timeCell(le.At))
		} else {
			c = append(c, 0, none, none, none)
		}
	}
	for _, a := range s.Accounts {
		c = accountCells(c, a)
	}
	for _, sk := range s.Skills {
		for _, q := range sk.Queues {
			c = queueCells(c, q)
		}
		c = countCells(c, sk.Agents)
	}
	for _, a := range s.Agents {
		c = append(c, e.intern(string(a.State)), e.intern(a.Reason), timeCell(a.Since),
			optRatio(a.Load), optInt(a.Open), optInt(a.MaxSlots), optInt(a.HandledToday))
		if e.activity {
			c = activityCells(c, a.Activity)
		}
	}
	e.next = c
	return c
}

// encode appends the frame for s at time at to dst.
func (e *encoder) encode(dst []byte, s *snapshot.Snapshot, at time.Time) []byte {
	if e.lay == nil || !at.Truncate(e.window).Equal(e.start) || !e.lay.matches(s) {
		return e.keyframe(dst, s, at)
	}
	before := len(e.strs)
	next := e.cellsOf(s)
	body := binary.AppendUvarint(nil, uint64(len(e.strs)-before))
	for _, str := range e.strs[before:] {
		body = appendString(body, str)
	}
	changed := 0
	for i := range next {
		if next[i] != e.cells[i] {
			changed++
		}
	}
	body = binary.AppendUvarint(body, uint64(changed))
	last := -1
	for i := range next {
		if next[i] != e.cells[i] {
			body = binary.AppendUvarint(body, uint64(i-last-1))
			body = binary.AppendVarint(body, next[i]-e.cells[i])
			last = i
		}
	}
	e.cells, e.next = next, e.cells
	return appendFrame(dst, kindDelta, body)
}

func (e *encoder) keyframe(dst []byte, s *snapshot.Snapshot, at time.Time) []byte {
	e.lay, e.start = layoutOf(s), at.Truncate(e.window)
	if !e.activity {
		e.lay.agentCells = cellsAgentV1
		e.lay.index()
	}
	e.strs, e.index = e.strs[:0], map[string]int64{}
	var lb []byte // layout as string indexes
	put := func(s string) { lb = binary.AppendUvarint(lb, uint64(e.intern(s))) }
	lb = binary.AppendUvarint(lb, uint64(len(e.lay.sources)))
	for _, src := range e.lay.sources {
		put(src.id)
		put(src.kind)
	}
	lb = binary.AppendUvarint(lb, uint64(len(e.lay.accounts)))
	for _, a := range e.lay.accounts {
		put(a)
	}
	lb = binary.AppendUvarint(lb, uint64(len(e.lay.skills)))
	for _, sk := range e.lay.skills {
		put(sk.key)
		put(sk.id)
		put(sk.source)
		put(sk.name)
		lb = binary.AppendUvarint(lb, uint64(len(sk.channels)))
		for _, ch := range sk.channels {
			put(string(ch))
		}
	}
	lb = binary.AppendUvarint(lb, uint64(len(e.lay.agents)))
	for _, a := range e.lay.agents {
		put(a.key)
		put(a.id)
		put(a.source)
		put(a.name)
		lb = binary.AppendUvarint(lb, uint64(len(a.skills)))
		for _, k := range a.skills {
			put(k)
		}
	}
	cells := e.cellsOf(s)
	raw := binary.AppendUvarint(nil, uint64(len(e.strs)))
	for _, str := range e.strs {
		raw = appendString(raw, str)
	}
	raw = append(raw, lb...)
	raw = binary.AppendUvarint(raw, uint64(len(cells)))
	for _, c := range cells {
		raw = binary.AppendVarint(raw, c)
	}
	e.cells = append(e.cells[:0], cells...)
	return appendFrame(dst, kindKey, e.deflate(raw))
}

func (e *encoder) deflate(raw []byte) []byte {
	return e.z.pack(raw)[1:]
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendFrame writes kind, the body's length and the body; anything appended after
// (a minute frame's aggregates) follows the body.
func appendFrame(dst []byte, kind byte, body []byte) []byte {
	dst = append(dst, kind)
	dst = binary.AppendUvarint(dst, uint64(len(body)))
	return append(dst, body...)
}

// reader decodes the primitives of a frame; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = ErrCorrupt
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length that must fit in what is left (every element takes a byte).
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) string() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) bytes(n int) []byte {
	if n > len(r.b) {
		r.fail()
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}

func inflate(b []byte) ([]byte, error) {
	var out bytes.Buffer
	if err := inflateTo(&out, b); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func inflateTo(out *bytes.Buffer, b []byte) error {
	zr := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(zr)
	if err := zr.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	// A keyframe of the largest floor is well under this; the cap keeps a hostile or
	// damaged frame from inflating without bound.
	if _, err := out.ReadFrom(io.LimitReader(zr, 64<<20)); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}
