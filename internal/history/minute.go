package history

import (
	"encoding/binary"
	"slices"
	"time"

	"github.com/ccdash/ccdash/internal/snapshot"
)

// minuteAgg gathers the open minute: its last snapshot and, for every skill cell, the
// minimum and maximum known value. A layout change mid-minute starts it over (the
// minute then covers the part after the change).
type minuteAgg struct {
	start    time.Time // zero: nothing gathered
	lay      *layout
	last     *snapshot.Snapshot
	cells    []int64 // cells of last
	min, max []int64 // per cell in [lo, hi); none when never known
	lo, hi   int
	// skills are the minute's skills when last is not kept (a minute read back
	// from the store to warm the ring).
	skills []snapshot.Skill
}

func (m *minuteAgg) add(s *snapshot.Snapshot, lay *layout, cells []int64, at time.Time) {
	if m.lay != lay || !m.start.Equal(at.Truncate(time.Minute)) {
		m.start, m.lay = at.Truncate(time.Minute), lay
		m.lo, m.hi = lay.skillOff[0], lay.agentOff
		m.min = fill(m.min[:0], m.hi-m.lo)
		m.max = fill(m.max[:0], m.hi-m.lo)
	}
	m.last = s
	m.cells = append(m.cells[:0], cells...)
	for i, v := range cells[m.lo:m.hi] {
		if v == none {
			continue
		}
		if m.min[i] == none || v < m.min[i] {
			m.min[i] = v
		}
		if m.max[i] == none || v > m.max[i] {
			m.max[i] = v
		}
	}
}

func fill(b []int64, n int) []int64 {
	for range n {
		b = append(b, none)
	}
	return b
}

// bounds returns the minimum and maximum of cell (min = max = last when the
// minute never knew it).
func (m *minuteAgg) bounds(cell int) (lo, hi int64) {
	i := cell - m.lo
	if i < 0 || cell >= m.hi {
		return m.cells[cell], m.cells[cell]
	}
	return m.min[i], m.max[i]
}

// appendAgg writes the aggregates after a minute frame's body: the cells whose
// minimum differs from the last value, then those whose maximum does, each as
// (gap, distance) pairs. Distances wrap in int64 arithmetic, so unknown (none)
// values round-trip exactly like any other.
func (m *minuteAgg) appendAgg(dst []byte) []byte {
	for _, side := range [][]int64{m.min, m.max} {
		n := 0
		for i, v := range side {
			if v != m.cells[m.lo+i] {
				n++
			}
		}
		dst = binary.AppendUvarint(dst, uint64(n))
		last := -1
		for i, v := range side {
			if d := v - m.cells[m.lo+i]; d != 0 {
				dst = binary.AppendUvarint(dst, uint64(i-last-1))
				dst = binary.AppendVarint(dst, d)
				last = i
			}
		}
	}
	return dst
}

// aggBounds reads the minimum and maximum of cell from a minute frame's aggregates
// (rest after the body), given the frame's layout and the cell's last value.
func aggBounds(rest []byte, lay *layout, cell int, last int64) (lo, hi int64, err error) {
	r := &reader{b: rest}
	want := cell - lay.skillOff[0]
	lo, hi = last, last
	for side := range 2 {
		i := -1
		for range r.count() {
			i += int(r.uvarint()) + 1
			d := r.varint()
			if i == want {
				if side == 0 {
					lo = last + d
				} else {
					hi = last + d
				}
			}
		}
	}
	return lo, hi, r.err
}

// closed returns a copy of m that no later add changes (for the recent ring).
func (m *minuteAgg) closed() *minuteAgg {
	return &minuteAgg{start: m.start, lay: m.lay, last: m.last, cells: slices.Clone(m.cells),
		min: slices.Clone(m.min), max: slices.Clone(m.max), lo: m.lo, hi: m.hi}
}

// parseAgg rebuilds a closed minute from a decoded minute frame: its layout and
// cells, and the aggregates in rest.
func parseAgg(at time.Time, lay *layout, cells []int64, rest []byte) (*minuteAgg, error) {
	m := &minuteAgg{start: at, lay: lay, cells: slices.Clone(cells), lo: lay.skillOff[0], hi: lay.agentOff,
		skills: skillsFrom(lay, cells, nil)}
	m.min = slices.Clone(cells[m.lo:m.hi])
	m.max = slices.Clone(cells[m.lo:m.hi])
	r := &reader{b: rest}
	for _, side := range [][]int64{m.min, m.max} {
		i := -1
		for range r.count() {
			i += int(r.uvarint()) + 1
			d := r.varint()
			if i < 0 || i >= len(side) {
				return nil, ErrCorrupt
			}
			side[i] += d
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}
